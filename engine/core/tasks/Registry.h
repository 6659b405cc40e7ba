#pragma once
// The list of pretext tasks. Adding a task is one folder under tasks/ and one line in
// Registry.cpp (docs/adding-a-task.md); everything else (the window, the headless
// commands, the Math and Gradients tabs, run folders) asks the task itself.
#include "tasks/Task.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pretext {

using TaskFactory = std::function<std::unique_ptr<Task>()>;

std::vector<std::string> taskNames();
std::vector<TaskInfo> taskInfos();
// Returns nullptr for an unknown name.
std::unique_ptr<Task> makeTask(const std::string& name);
// The task a new window or command starts with: the first one registered.
std::string defaultTaskName();
// Adds a task after the built-in ones (a task defined outside engine/core/tasks, such as
// a test's). False when the name is taken or empty. Tasks are only ever added, never
// removed, so names and infos read before stay valid.
bool registerTask(const std::string& name, TaskFactory make);

} // namespace pretext
