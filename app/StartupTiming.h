#pragma once
// Cold-start figures: with PRETEXT_REPORT_STARTUP set, the time from the process's start
// (as the kernel recorded it, so the loading of Qt, LibTorch and OpenCV counts) to the
// window's first paint, and to the first preview of the demo data drawn in it, printed
// on stderr; with PRETEXT_REPORT_STARTUP=quit the program then ends.
class QWidget;

void reportStartup(QWidget& window);
