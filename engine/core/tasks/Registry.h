#pragma once
// The list of pretext tasks. Adding a task is one folder and one line in Registry.cpp.
#include "tasks/Task.h"

#include <memory>
#include <string>
#include <vector>

namespace pretext {

std::vector<std::string> taskNames();
std::vector<TaskInfo> taskInfos();
// Returns nullptr for an unknown name.
std::unique_ptr<Task> makeTask(const std::string& name);

} // namespace pretext
