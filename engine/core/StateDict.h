#pragma once
// State dicts in the files Python's torch.save and torch.load use (the zip format), so
// that an encoder goes from this program into PyTorch and back. Reading is a restricted
// unpickler written here: dicts, lists, tuples, numbers, strings and tensors, nothing
// else; no Python object named in a file is ever called.
#include "Models.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pretext {

// Name -> tensor, in the order of the file (or of the module).
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

// A file that is not a state dict this program can use; the message names the file.
class StateDictError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads a state dict written by torch.save (an OrderedDict or dict of tensors, or a
// checkpoint dict holding one under "state_dict" or "model"; a "module." prefix left by
// DistributedDataParallel is dropped). `notes` gets what was done to get there.
StateDict loadStateDict(const std::string& path, std::vector<std::string>* notes = nullptr);
StateDict loadStateDictBytes(const std::string& bytes, const std::string& where,
                             std::vector<std::string>* notes = nullptr);

// Writes `dict` as torch.save would (Python's torch.load reads it as a dict of tensors),
// to a temporary file renamed over `path` when complete.
void saveStateDict(const StateDict& dict, const std::string& path);

// The encoder's parameters and buffers under their names (torchvision's for a ResNet),
// module by module as PyTorch orders a state dict; with upToStage > 0, the stem and the
// stages up to that one only.
StateDict encoderStateDict(EncoderImpl& encoder, int upToStage = 0);

// Copies `dict` into the encoder. Refused, naming `source`, for keys missing or
// unexpected (a torchvision classifier's fc.* is ignored), shapes that differ, or a
// state dict of another architecture (which one it looks like is said).
void loadEncoderState(EncoderImpl& encoder, const StateDict& dict, const std::string& source);

// What architecture a state dict looks like ("resnet50 (ImageNet stem)", "small"), or
// empty when it looks like none of them.
std::string guessArchitecture(const StateDict& dict);

} // namespace pretext
