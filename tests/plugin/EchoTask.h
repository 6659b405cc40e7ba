#pragma once
// A pretext task defined outside engine/core/tasks, in the test itself: the network
// sees the image and gives it back (an autoencoder). It exists to prove that a task is a
// plug-in: registered at run time, it must work in the window, the headless commands,
// the Math and Gradients tabs and the run folder without any other source change.
// Torch-free: the test's widget code includes only this.

namespace echotask {

inline constexpr const char* kName = "echo";
inline constexpr const char* kTitle = "Echo (test task)";
inline constexpr const char* kIntro = "The network sees the image and gives it back.";

// Registers the task with the engine's registry; true the first time.
bool registerEchoTask();

} // namespace echotask
