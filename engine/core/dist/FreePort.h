#pragma once
// A port for a rendezvous on this machine: the local launcher, the two-rank tests and
// the device check all ask the kernel for one the same way.

namespace pretext {

// A TCP port on the loopback interface nothing listens on now, or 29500 (torchrun's
// default) when none can be asked for.
int freeLoopbackPort();

} // namespace pretext
