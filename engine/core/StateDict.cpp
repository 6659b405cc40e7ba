#include "StateDict.h"

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

// ---- A restricted unpickler ------------------------------------------------------------

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
    enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Storage };
    Kind kind = Kind::None;
    int64_t i = 0;
    double f = 0.0;
    std::string s; // a string, or a global's "module.name"
    std::vector<ValuePtr> items;
    std::vector<std::pair<ValuePtr, ValuePtr>> entries;
    torch::Tensor tensor; // a tensor, or a storage's elements (1-D)
};

ValuePtr make(Value::Kind kind) {
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

// The Python names a state dict file may mention, and nothing else.
const std::map<std::string, at::ScalarType>& storageTypes() {
    static const std::map<std::string, at::ScalarType> types{
        {"torch.FloatStorage", at::kFloat}, {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},   {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},   {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort}, {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},   {"torch.BoolStorage", at::kBool},
    };
    return types;
}

bool allowedGlobal(const std::string& name) {
    static const std::set<std::string> callables{
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter", "torch.jit._pickle.restore_type_tag"};
    return callables.count(name) > 0 || storageTypes().count(name) > 0;
}

using StorageLoader =
    std::function<torch::Tensor(const std::string& key, at::ScalarType type, int64_t numel)>;

class Unpickler {
public:
    Unpickler(const std::string& data, StorageLoader loader, std::string where)
        : m_data(data), m_loader(std::move(loader)), m_where(std::move(where)) {}

    ValuePtr run() {
        while (true) {
            const uint8_t op = byte();
            if (op == '.') { // STOP
                if (m_stack.empty()) {
                    fail("the pickle ends with nothing on its stack");
                }
                return m_stack.back();
            }
            step(op);
        }
    }

private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw StateDictError(m_where + ": " + problem);
    }

    uint8_t byte() {
        if (m_pos >= m_data.size()) {
            fail("the pickle is cut short");
        }
        return static_cast<uint8_t>(m_data[m_pos++]);
    }
    std::string bytes(uint64_t n) {
        if (n > m_data.size() - m_pos) {
            fail("the pickle is cut short");
        }
        std::string out = m_data.substr(m_pos, n);
        m_pos += n;
        return out;
    }
    uint64_t little(int n) {
        uint64_t v = 0;
        for (int k = 0; k < n; ++k) {
            v |= static_cast<uint64_t>(byte()) << (8 * k);
        }
        return v;
    }
    std::string line() {
        const auto end = m_data.find('\n', m_pos);
        if (end == std::string::npos) {
            fail("the pickle is cut short");
        }
        std::string out = m_data.substr(m_pos, end - m_pos);
        m_pos = end + 1;
        return out;
    }

    ValuePtr pop() {
        if (m_stack.empty()) {
            fail("the pickle takes from an empty stack");
        }
        auto v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    ValuePtr& top() {
        if (m_stack.empty()) {
            fail("the pickle uses an empty stack");
        }
        return m_stack.back();
    }
    std::vector<ValuePtr> popToMark() {
        if (m_marks.empty()) {
            fail("the pickle has no mark where it needs one");
        }
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        if (mark > m_stack.size()) {
            fail("the pickle's mark is past its stack");
        }
        std::vector<ValuePtr> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark),
                                    m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    void push(ValuePtr v) { m_stack.push_back(std::move(v)); }
    ValuePtr integer(int64_t i) {
        auto v = make(Value::Kind::Int);
        v->i = i;
        return v;
    }
    ValuePtr string(std::string s) {
        auto v = make(Value::Kind::String);
        v->s = std::move(s);
        return v;
    }
    ValuePtr tuple(std::vector<ValuePtr> items) {
        auto v = make(Value::Kind::Tuple);
        v->items = std::move(items);
        return v;
    }
    ValuePtr global(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        if (!allowedGlobal(full)) {
            fail("it refers to the Python object '" + full +
                 "', which is not part of a state dict of tensors; refused (nothing in the "
                 "file is executed)");
        }
        auto v = make(Value::Kind::Global);
        v->s = full;
        return v;
    }
    void memoPut(uint64_t index) { m_memo[index] = top(); }
    ValuePtr memoGet(uint64_t index) {
        auto it = m_memo.find(index);
        if (it == m_memo.end()) {
            fail("the pickle refers to an object it never stored");
        }
        return it->second;
    }
    void setItems(const ValuePtr& dict, const std::vector<ValuePtr>& items) {
        if (dict->kind != Value::Kind::Dict || items.size() % 2 != 0) {
            fail("the pickle sets items of something that is not a dict");
        }
        for (size_t k = 0; k < items.size(); k += 2) {
            dict->entries.emplace_back(items[k], items[k + 1]);
        }
    }
    void appendItems(const ValuePtr& list, const std::vector<ValuePtr>& items) {
        if (list->kind != Value::Kind::List) {
            fail("the pickle appends to something that is not a list");
        }
        list->items.insert(list->items.end(), items.begin(), items.end());
    }

    std::vector<int64_t> ints(const ValuePtr& v, const char* what) {
        if (v->kind != Value::Kind::Tuple) {
            fail(std::string("a tensor's ") + what + " is not a tuple");
        }
        std::vector<int64_t> out;
        for (const auto& item : v->items) {
            if (item->kind != Value::Kind::Int || item->i < 0) {
                fail(std::string("a tensor's ") + what + " holds something other than sizes");
            }
            out.push_back(item->i);
        }
        return out;
    }

    ValuePtr rebuildTensor(const std::vector<ValuePtr>& args) {
        if (args.size() < 4 || args[0]->kind != Value::Kind::Storage ||
            args[1]->kind != Value::Kind::Int) {
            fail("a tensor is described in a way this reader does not know");
        }
        const torch::Tensor& storage = args[0]->tensor;
        const int64_t offset = args[1]->i;
        const auto size = ints(args[2], "size");
        const auto stride = ints(args[3], "stride");
        if (size.size() != stride.size() || offset < 0) {
            fail("a tensor's size and stride do not match");
        }
        int64_t last = offset;
        bool empty = false;
        for (size_t d = 0; d < size.size(); ++d) {
            empty = empty || size[d] == 0;
            last += (size[d] - 1) * stride[d];
        }
        if (!empty && last >= storage.numel()) {
            fail("a tensor reaches past the end of its storage");
        }
        auto v = make(Value::Kind::Tensor);
        v->tensor = empty ? torch::empty(size, storage.options())
                          : storage.as_strided(size, stride, offset).clone();
        return v;
    }

    ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args) {
        if (callable->kind != Value::Kind::Global || args->kind != Value::Kind::Tuple) {
            fail("the pickle calls something that is not a known function");
        }
        const auto& a = args->items;
        if (callable->s == "collections.OrderedDict") {
            auto dict = make(Value::Kind::Dict);
            if (!a.empty() && a[0]->kind == Value::Kind::List) {
                for (const auto& pair : a[0]->items) {
                    if (pair->kind != Value::Kind::Tuple || pair->items.size() != 2) {
                        fail("an OrderedDict is built from something other than pairs");
                    }
                    dict->entries.emplace_back(pair->items[0], pair->items[1]);
                }
            }
            return dict;
        }
        if (callable->s == "torch._utils._rebuild_tensor_v2") {
            return rebuildTensor(a);
        }
        if (callable->s == "torch._utils._rebuild_parameter" ||
            callable->s == "torch.jit._pickle.restore_type_tag") {
            if (a.empty()) {
                fail("a parameter without its tensor");
            }
            return a[0];
        }
        fail("'" + callable->s + "' is not a function a state dict calls");
    }

    ValuePtr persistent(const ValuePtr& id) {
        // ('storage', torch.FloatStorage, key, location, numel)
        if (id->kind != Value::Kind::Tuple || id->items.size() < 5 ||
            id->items[0]->kind != Value::Kind::String || id->items[0]->s != "storage" ||
            id->items[1]->kind != Value::Kind::Global ||
            id->items[2]->kind != Value::Kind::String || id->items[4]->kind != Value::Kind::Int) {
            fail("it refers to outside data that is not a tensor storage");
        }
        const auto type = storageTypes().find(id->items[1]->s);
        if (type == storageTypes().end()) {
            fail("'" + id->items[1]->s + "' is not a storage type");
        }
        const std::string& key = id->items[2]->s;
        auto cached = m_storages.find(key);
        if (cached == m_storages.end()) {
            cached = m_storages.emplace(key, m_loader(key, type->second, id->items[4]->i)).first;
        }
        auto v = make(Value::Kind::Storage);
        v->tensor = cached->second;
        return v;
    }

    void step(uint8_t op) {
        switch (op) {
        case 0x80: // PROTO
            byte();
            return;
        case 0x95: // FRAME
            little(8);
            return;
        case '(':
            m_marks.push_back(m_stack.size());
            return;
        case '0':
            pop();
            return;
        case '1':
            popToMark();
            return;
        case '2':
            push(top());
            return;
        case 'N':
            push(make(Value::Kind::None));
            return;
        case 0x88:
        case 0x89: {
            auto v = make(Value::Kind::Bool);
            v->i = op == 0x88;
            push(v);
            return;
        }
        case 'K':
            push(integer(static_cast<int64_t>(little(1))));
            return;
        case 'M':
            push(integer(static_cast<int64_t>(little(2))));
            return;
        case 'J':
            push(integer(static_cast<int32_t>(little(4))));
            return;
        case 0x8a: { // LONG1
            const int n = byte();
            if (n > 8) {
                fail("an integer too large for a tensor's size");
            }
            uint64_t v = n > 0 ? little(n) : 0;
            if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1U) {
                v |= ~uint64_t{0} << (8 * n); // sign-extend
            }
            push(integer(static_cast<int64_t>(v)));
            return;
        }
        case 'G': { // BINFLOAT, big-endian
            uint64_t bits = 0;
            for (int k = 0; k < 8; ++k) {
                bits = (bits << 8) | byte();
            }
            auto v = make(Value::Kind::Float);
            std::memcpy(&v->f, &bits, sizeof bits);
            push(v);
            return;
        }
        case 'X': // BINUNICODE
        case 'T': // BINSTRING
        case 'B': // BINBYTES
            push(string(bytes(little(4))));
            return;
        case 0x8c: // SHORT_BINUNICODE
        case 'U':  // SHORT_BINSTRING
        case 'C':  // SHORT_BINBYTES
            push(string(bytes(little(1))));
            return;
        case 0x8d: // BINUNICODE8
        case 0x8e: // BINBYTES8
            push(string(bytes(little(8))));
            return;
        case ')':
            push(tuple({}));
            return;
        case 't':
            push(tuple(popToMark()));
            return;
        case 0x85:
        case 0x86:
        case 0x87: {
            const size_t n = op - 0x84;
            if (m_stack.size() < n) {
                fail("the pickle builds a tuple from an empty stack");
            }
            std::vector<ValuePtr> items(m_stack.end() - static_cast<std::ptrdiff_t>(n),
                                        m_stack.end());
            m_stack.resize(m_stack.size() - n);
            push(tuple(std::move(items)));
            return;
        }
        case ']':
            push(make(Value::Kind::List));
            return;
        case 'l': {
            auto list = make(Value::Kind::List);
            list->items = popToMark();
            push(list);
            return;
        }
        case '}':
            push(make(Value::Kind::Dict));
            return;
        case 'd': {
            auto dict = make(Value::Kind::Dict);
            setItems(dict, popToMark());
            push(dict);
            return;
        }
        case 'a': {
            auto item = pop();
            appendItems(top(), {item});
            return;
        }
        case 'e': {
            auto items = popToMark();
            appendItems(top(), items);
            return;
        }
        case 's': {
            auto value = pop();
            auto key = pop();
            setItems(top(), {key, value});
            return;
        }
        case 'u': {
            auto items = popToMark();
            setItems(top(), items);
            return;
        }
        case 'q':
            memoPut(little(1));
            return;
        case 'r':
            memoPut(little(4));
            return;
        case 0x94: // MEMOIZE
            memoPut(m_memo.size());
            return;
        case 'h':
            push(memoGet(little(1)));
            return;
        case 'j':
            push(memoGet(little(4)));
            return;
        case 'c': {
            const std::string module = line();
            const std::string name = line();
            push(global(module, name));
            return;
        }
        case 0x93: { // STACK_GLOBAL
            auto name = pop();
            auto module = pop();
            if (name->kind != Value::Kind::String || module->kind != Value::Kind::String) {
                fail("a Python name that is not a string");
            }
            push(global(module->s, name->s));
            return;
        }
        case 'R': {
            auto args = pop();
            auto callable = pop();
            push(reduce(callable, args));
            return;
        }
        case 'Q':
            push(persistent(pop()));
            return;
        case 'b': { // BUILD: an OrderedDict's _metadata, a tensor's state: not needed
            pop();
            const auto kind = top()->kind;
            if (kind != Value::Kind::Dict && kind != Value::Kind::Tensor) {
                fail("the pickle sets the state of an object that is not a dict or tensor");
            }
            return;
        }
        default: {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", op);
            fail(std::string("the pickle uses an instruction (") + hex + " at byte " +
                 std::to_string(m_pos - 1) + ") that a state dict of tensors does not need");
        }
        }
    }

    const std::string& m_data;
    StorageLoader m_loader;
    std::string m_where;
    size_t m_pos = 0;
    std::vector<ValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::map<uint64_t, ValuePtr> m_memo;
    std::map<std::string, torch::Tensor> m_storages;
};

// A dict whose keys are strings and values tensors; null when `v` is not one.
std::unique_ptr<StateDict> asStateDict(const ValuePtr& v) {
    if (v->kind != Value::Kind::Dict) {
        return nullptr;
    }
    auto dict = std::make_unique<StateDict>();
    for (const auto& [key, value] : v->entries) {
        if (key->kind != Value::Kind::String || value->kind != Value::Kind::Tensor) {
            return nullptr;
        }
        dict->emplace_back(key->s, value->tensor);
    }
    return dict;
}

std::string describeKind(const ValuePtr& v) {
    switch (v->kind) {
    case Value::Kind::Dict:
        return "a dict whose entries are not all tensors named by strings";
    case Value::Kind::List:
        return "a list";
    case Value::Kind::Tuple:
        return "a tuple";
    case Value::Kind::Tensor:
        return "a single tensor";
    case Value::Kind::String:
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
    ValuePtr root = Unpickler(pickle, loader, where).run();
    // A training checkpoint that holds the state dict under a key of its own.
    if (root->kind == Value::Kind::Dict && !asStateDict(root)) {
        for (const auto& [key, value] : root->entries) {
            if (key->kind == Value::Kind::String && (key->s == "state_dict" || key->s == "model") &&
                asStateDict(value)) {
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
