#pragma once
// A restricted unpickler for the files Python's torch.save writes: it builds dicts, lists,
// tuples, numbers, strings and tensors, knows the few functions a state dict names
// (collections.OrderedDict, torch._utils._rebuild_tensor_v2, the storage types), and
// refuses any other Python name: nothing a file names is ever called.
#include <torch/types.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pretext {

// What a pickle held, as a tree.
struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Storage };
    Kind kind = Kind::None;
    int64_t i = 0;
    double f = 0.0;
    std::string s; // a string, or a global's "module.name"
    std::vector<PickleValuePtr> items;
    std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries;
    torch::Tensor tensor; // a tensor, or a storage's elements (1-D)
};

// A pickle this reader refuses or cannot read; the message starts with `where`.
class UnpickleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The elements of the storage `key` (torch.save's data/<key> record), as a 1-D tensor.
using StorageLoader =
    std::function<torch::Tensor(const std::string& key, at::ScalarType type, int64_t numel)>;

// The object a pickle (data.pkl) describes; tensors are copied out of their storages.
PickleValuePtr unpickle(const std::string& data, const StorageLoader& loader,
                        const std::string& where);

} // namespace pretext
