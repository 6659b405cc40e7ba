#pragma once
// The headless subcommands (train, preview, bench): same engine as the GUI.
#include <QStringList>

namespace pretext {

bool isHeadlessCommand(const QString& word);
// args: the full argument list (program name first, then the subcommand).
// Returns the process exit code: 0 success, 1 failure at run time, 2 bad usage.
int runHeadless(const QStringList& args);

} // namespace pretext
