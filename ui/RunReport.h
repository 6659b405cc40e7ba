#pragma once
// A run report a browser reads: report.html with its images beside it (curves as PNG,
// saved previews over steps), the config and the final metrics, made from the run
// folder alone.
#include <QString>

// Writes <runDir>/report/report.html and its images; *reportPath is the HTML file.
bool writeRunReport(const QString& runDir, QString* reportPath, QString* error);
