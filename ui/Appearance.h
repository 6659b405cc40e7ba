#pragma once
// Light or dark: the window follows the system's palette, or a dark one the user
// chooses (View ▸ Appearance, remembered). Plots, which draw their own colours,
// follow whichever is in use.
#include <QPalette>
#include <QString>

class QCustomPlot;

enum class Theme { System, Dark };

QPalette darkPalette();
// Sets the application's style and palette; widgets get a PaletteChange event.
void applyTheme(Theme theme);
Theme themeFromName(const QString& name);
QString themeName(Theme theme);
// Background, axes, grid, legend and text elements of `plot` in the palette's colours.
void stylePlot(QCustomPlot* plot, const QPalette& palette);
