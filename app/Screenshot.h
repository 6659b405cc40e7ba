#pragma once
// `pretext-workbench --screenshot FILE`: the main window drawn offscreen on the demo
// data, after `steps` training steps (0: the preview only), saved as a PNG.
#include <QString>

class MainWindow;

// Runs the event loop until the window is ready, saves it and returns the exit code.
int takeScreenshot(MainWindow& window, const QString& path, int steps);
