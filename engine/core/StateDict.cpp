#include "StateDict.h"

#include "Unpickler.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace pretext {

namespace {

// A dict whose keys are strings and values tensors; null when `v` is not one.
std::unique_ptr<StateDict> asStateDict(const PickleValuePtr& v) {
    if (v->kind != PickleValue::Kind::Dict) {
        return nullptr;
    }
    auto dict = std::make_unique<StateDict>();
    for (const auto& [key, value] : v->entries) {
        if (key->kind != PickleValue::Kind::String || value->kind != PickleValue::Kind::Tensor) {
            return nullptr;
        }
        dict->emplace_back(key->s, value->tensor);
    }
    return dict;
}

std::string describeKind(const PickleValuePtr& v) {
    switch (v->kind) {
    case PickleValue::Kind::Dict:
        return "a dict whose entries are not all tensors named by strings";
    case PickleValue::Kind::List:
        return "a list";
    case PickleValue::Kind::Tuple:
        return "a tuple";
    case PickleValue::Kind::Tensor:
        return "a single tensor";
    case PickleValue::Kind::String:
        return "a string";
    default:
        return "a plain value";
    }
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

std::string shapeText(const torch::Tensor& t) {
    std::ostringstream out;
    out << "(";
    for (int64_t d = 0; d < t.dim(); ++d) {
        out << (d ? ", " : "") << t.size(d);
    }
    out << ")";
    return out.str();
}

std::string listSome(const std::vector<std::string>& names) {
    std::string out;
    for (size_t k = 0; k < names.size() && k < 4; ++k) {
        out += (k ? ", " : "") + names[k];
    }
    if (names.size() > 4) {
        out += " and " + std::to_string(names.size() - 4) + " more";
    }
    return out;
}

} // namespace

StateDict loadStateDictBytes(const std::string& bytes, const std::string& where,
                             std::vector<std::string>* notes) {
    if (bytes.size() < 4) {
        throw StateDictError(where + ": the file is empty or cut short");
    }
    if (bytes.compare(0, 2, "PK") != 0) {
        if (static_cast<uint8_t>(bytes[0]) == 0x80) {
            throw StateDictError(where + ": written in torch.save's legacy format (PyTorch "
                                         "before 1.6, or _use_new_zipfile_serialization=False); "
                                         "load it in Python and torch.save it again");
        }
        throw StateDictError(where + ": not a file written by torch.save (no zip archive)");
    }
    std::istringstream stream(bytes);
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
    try {
        reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(&stream);
    } catch (const std::exception&) {
        throw StateDictError(where + ": a damaged or unknown zip archive, not torch.save's");
    }
    if (reader->hasRecord("constants.pkl")) { // TorchScript archives have data.pkl too
        throw StateDictError(where + ": a TorchScript module (torch.jit.save), not a state dict; "
                                     "save model.state_dict() with torch.save instead");
    }
    if (!reader->hasRecord("data.pkl")) {
        throw StateDictError(where + ": no data.pkl inside: not written by torch.save");
    }
    auto record = [&](const std::string& name) {
        at::DataPtr data;
        size_t size = 0;
        try {
            std::tie(data, size) = reader->getRecord(name);
        } catch (const std::exception&) {
            throw StateDictError(where + ": the archive's " + name + " is missing or damaged");
        }
        return std::make_pair(std::move(data), size);
    };
    auto [pickleData, pickleSize] = record("data.pkl");
    const std::string pickle(static_cast<const char*>(pickleData.get()), pickleSize);
    auto loader = [&](const std::string& key, at::ScalarType type, int64_t numel) {
        auto [data, size] = record("data/" + key);
        const auto element = static_cast<int64_t>(c10::elementSize(type));
        if (numel < 0 || static_cast<int64_t>(size) < numel * element) {
            throw StateDictError(where + ": storage " + key + " holds " + std::to_string(size) +
                                 " bytes, fewer than its " + std::to_string(numel) +
                                 " elements need");
        }
        auto t = torch::empty({numel}, torch::TensorOptions().dtype(type));
        std::memcpy(t.data_ptr(), data.get(), static_cast<size_t>(numel * element));
        return t;
    };
    PickleValuePtr root;
    try {
        root = unpickle(pickle, loader, where);
    } catch (const UnpickleError& e) {
        throw StateDictError(e.what());
    }
    // A training checkpoint that holds the state dict under a key of its own.
    if (root->kind == PickleValue::Kind::Dict && !asStateDict(root)) {
        for (const auto& [key, value] : root->entries) {
            if (key->kind == PickleValue::Kind::String &&
                (key->s == "state_dict" || key->s == "model") && asStateDict(value)) {
                if (notes) {
                    notes->push_back("the state dict under the file's '" + key->s + "' entry");
                }
                root = value;
                break;
            }
        }
    }
    auto dict = asStateDict(root);
    if (!dict) {
        throw StateDictError(where + ": holds " + describeKind(root) +
                             ", not a state dict (a dict of named tensors)");
    }
    const bool wrapped = !dict->empty() && std::all_of(dict->begin(), dict->end(), [](auto& e) {
        return startsWith(e.first, "module.");
    });
    if (wrapped) {
        for (auto& e : *dict) {
            e.first.erase(0, 7);
        }
        if (notes) {
            notes->push_back("the 'module.' prefix of DistributedDataParallel dropped");
        }
    }
    return std::move(*dict);
}

StateDict loadStateDict(const std::string& path, std::vector<std::string>* notes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw StateDictError(path + ": cannot be opened");
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return loadStateDictBytes(bytes.str(), path, notes);
}

void saveStateDict(const StateDict& dict, const std::string& path) {
    c10::impl::GenericDict d(c10::StringType::get(), c10::TensorType::get());
    for (const auto& [name, tensor] : dict) {
        d.insert(name, tensor.detach().to(torch::kCPU).contiguous());
    }
    const std::vector<char> bytes = torch::pickle_save(d);
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            std::remove(partial.c_str());
            throw StateDictError(path + ": cannot be written");
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        std::remove(partial.c_str());
        throw StateDictError(path + ": cannot be written");
    }
}

StateDict encoderStateDict(EncoderImpl& encoder, int upToStage) {
    StateDict out;
    for (const auto& item : encoder.named_modules("", /*include_self=*/true)) {
        const std::string prefix = item.key().empty() ? "" : item.key() + ".";
        auto add = [&](const std::string& name, const torch::Tensor& t) {
            const std::string full = prefix + name;
            if (upToStage <= 0 || encoder.stageOf(full) <= upToStage) {
                out.emplace_back(full, t);
            }
        };
        for (const auto& p : item.value()->named_parameters(/*recurse=*/false)) {
            add(p.key(), p.value());
        }
        for (const auto& b : item.value()->named_buffers(/*recurse=*/false)) {
            add(b.key(), b.value());
        }
    }
    return out;
}

std::string guessArchitecture(const StateDict& dict) {
    std::map<std::string, torch::Tensor> byName(dict.begin(), dict.end());
    if (byName.count("layers.0.weight")) {
        return "small";
    }
    auto conv1 = byName.find("conv1.weight");
    if (conv1 == byName.end() || conv1->second.dim() != 4 ||
        !byName.count("layer1.0.conv1.weight")) {
        return {};
    }
    const bool bottleneck = byName.count("layer1.0.conv3.weight") > 0;
    std::vector<int> blocks(4, 0);
    for (const auto& [name, t] : dict) {
        for (int s = 0; s < 4; ++s) {
            const std::string prefix = "layer" + std::to_string(s + 1) + ".";
            if (startsWith(name, prefix)) {
                blocks[s] = std::max(blocks[s], std::atoi(name.c_str() + prefix.size()) + 1);
            }
        }
    }
    const std::map<std::vector<int>, int> depths{{{2, 2, 2, 2}, 18}, {{3, 4, 6, 3}, 34}};
    const std::map<std::vector<int>, int> deep{
        {{3, 4, 6, 3}, 50}, {{3, 4, 23, 3}, 101}, {{3, 8, 36, 3}, 152}};
    const auto& table = bottleneck ? deep : depths;
    const auto depth = table.find(blocks);
    const std::string name =
        depth != table.end() ? "resnet" + std::to_string(depth->second) : std::string("a ResNet");
    const bool smallStem = conv1->second.size(2) == 3;
    return name + (smallStem ? " (small-input stem)" : " (ImageNet stem)");
}

void loadEncoderState(EncoderImpl& encoder, const StateDict& dict, const std::string& source) {
    const StateDict own = encoderStateDict(encoder);
    std::map<std::string, torch::Tensor> given;
    for (const auto& [name, tensor] : dict) {
        if (!startsWith(name, "fc.")) {
            given.emplace(name, tensor);
        }
    }
    std::vector<std::string> missing, shapes;
    for (const auto& [name, tensor] : own) {
        auto it = given.find(name);
        if (it == given.end()) {
            missing.push_back(name);
        } else if (it->second.sizes() != tensor.sizes()) {
            shapes.push_back(name + " is " + shapeText(it->second) + " there, " +
                             shapeText(tensor) + " here");
        }
    }
    std::vector<std::string> unexpected;
    std::set<std::string> ownNames;
    for (const auto& e : own) {
        ownNames.insert(e.first);
    }
    for (const auto& [name, tensor] : given) {
        if (!ownNames.count(name)) {
            unexpected.push_back(name);
        }
    }
    if (!missing.empty() || !unexpected.empty() || !shapes.empty()) {
        std::string problem = source + ": not a state dict of this encoder, " + encoder.describe() +
                              " with " + std::to_string(encoder.inChannels()) + " input channels";
        const std::string looks = guessArchitecture(dict);
        if (!looks.empty()) {
            problem += " (it looks like " + looks + ")";
        }
        if (!missing.empty()) {
            problem += "; missing " + std::to_string(missing.size()) + ": " + listSome(missing);
        }
        if (!unexpected.empty()) {
            problem +=
                "; unexpected " + std::to_string(unexpected.size()) + ": " + listSome(unexpected);
        }
        if (!shapes.empty()) {
            problem += "; shapes differ: " + listSome(shapes);
        }
        throw StateDictError(problem);
    }
    torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : own) {
        const torch::Tensor& from = given.at(name);
        if (!from.is_floating_point() && tensor.is_floating_point()) {
            throw StateDictError(source + ": " + name + " holds integers, not weights");
        }
        tensor.copy_(from.to(tensor.device(), tensor.scalar_type()));
    }
}

} // namespace pretext
