#pragma once
// The built-in procedural video: shapes that glide, bounce off the edges, turn
// (always the same way, so time has a direction) and pass in front of each other
// over a still background, with pauses where nothing moves (windows that a motion
// threshold should drop). Deterministic from a seed, no file needed.
#include "Video.h"

#include <cstdint>

namespace pretext {

constexpr int kDemoVideoCount = 4;
constexpr int kDemoVideoFrames = 300;

VideoFrames makeDemoVideo(int videos, int framesPerVideo, int sizePx, uint64_t seed);

} // namespace pretext
