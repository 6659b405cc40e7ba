#include "Unpickler.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <set>

namespace pretext {

namespace {

PickleValuePtr make(PickleValue::Kind kind) {
    auto v = std::make_shared<PickleValue>();
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

class Unpickler {
public:
    Unpickler(const std::string& data, StorageLoader loader, std::string where)
        : m_data(data), m_loader(std::move(loader)), m_where(std::move(where)) {}

    PickleValuePtr run() {
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
        throw UnpickleError(m_where + ": " + problem);
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

    PickleValuePtr pop() {
        if (m_stack.empty()) {
            fail("the pickle takes from an empty stack");
        }
        auto v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    PickleValuePtr& top() {
        if (m_stack.empty()) {
            fail("the pickle uses an empty stack");
        }
        return m_stack.back();
    }
    std::vector<PickleValuePtr> popToMark() {
        if (m_marks.empty()) {
            fail("the pickle has no mark where it needs one");
        }
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        if (mark > m_stack.size()) {
            fail("the pickle's mark is past its stack");
        }
        std::vector<PickleValuePtr> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark),
                                          m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    void push(PickleValuePtr v) { m_stack.push_back(std::move(v)); }
    PickleValuePtr integer(int64_t i) {
        auto v = make(PickleValue::Kind::Int);
        v->i = i;
        return v;
    }
    PickleValuePtr string(std::string s) {
        auto v = make(PickleValue::Kind::String);
        v->s = std::move(s);
        return v;
    }
    PickleValuePtr tuple(std::vector<PickleValuePtr> items) {
        auto v = make(PickleValue::Kind::Tuple);
        v->items = std::move(items);
        return v;
    }
    PickleValuePtr global(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        if (!allowedGlobal(full)) {
            fail("it refers to the Python object '" + full +
                 "', which is not part of a state dict of tensors; refused (nothing in the "
                 "file is executed)");
        }
        auto v = make(PickleValue::Kind::Global);
        v->s = full;
        return v;
    }
    void memoPut(uint64_t index) { m_memo[index] = top(); }
    PickleValuePtr memoGet(uint64_t index) {
        auto it = m_memo.find(index);
        if (it == m_memo.end()) {
            fail("the pickle refers to an object it never stored");
        }
        return it->second;
    }
    void setItems(const PickleValuePtr& dict, const std::vector<PickleValuePtr>& items) {
        if (dict->kind != PickleValue::Kind::Dict || items.size() % 2 != 0) {
            fail("the pickle sets items of something that is not a dict");
        }
        for (size_t k = 0; k < items.size(); k += 2) {
            dict->entries.emplace_back(items[k], items[k + 1]);
        }
    }
    void appendItems(const PickleValuePtr& list, const std::vector<PickleValuePtr>& items) {
        if (list->kind != PickleValue::Kind::List) {
            fail("the pickle appends to something that is not a list");
        }
        list->items.insert(list->items.end(), items.begin(), items.end());
    }

    std::vector<int64_t> ints(const PickleValuePtr& v, const char* what) {
        if (v->kind != PickleValue::Kind::Tuple) {
            fail(std::string("a tensor's ") + what + " is not a tuple");
        }
        std::vector<int64_t> out;
        for (const auto& item : v->items) {
            if (item->kind != PickleValue::Kind::Int || item->i < 0) {
                fail(std::string("a tensor's ") + what + " holds something other than sizes");
            }
            out.push_back(item->i);
        }
        return out;
    }

    PickleValuePtr rebuildTensor(const std::vector<PickleValuePtr>& args) {
        if (args.size() < 4 || args[0]->kind != PickleValue::Kind::Storage ||
            args[1]->kind != PickleValue::Kind::Int) {
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
        auto v = make(PickleValue::Kind::Tensor);
        v->tensor = empty ? torch::empty(size, storage.options())
                          : storage.as_strided(size, stride, offset).clone();
        return v;
    }

    PickleValuePtr reduce(const PickleValuePtr& callable, const PickleValuePtr& args) {
        if (callable->kind != PickleValue::Kind::Global || args->kind != PickleValue::Kind::Tuple) {
            fail("the pickle calls something that is not a known function");
        }
        const auto& a = args->items;
        if (callable->s == "collections.OrderedDict") {
            auto dict = make(PickleValue::Kind::Dict);
            if (!a.empty() && a[0]->kind == PickleValue::Kind::List) {
                for (const auto& pair : a[0]->items) {
                    if (pair->kind != PickleValue::Kind::Tuple || pair->items.size() != 2) {
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

    PickleValuePtr persistent(const PickleValuePtr& id) {
        // ('storage', torch.FloatStorage, key, location, numel)
        if (id->kind != PickleValue::Kind::Tuple || id->items.size() < 5 ||
            id->items[0]->kind != PickleValue::Kind::String || id->items[0]->s != "storage" ||
            id->items[1]->kind != PickleValue::Kind::Global ||
            id->items[2]->kind != PickleValue::Kind::String ||
            id->items[4]->kind != PickleValue::Kind::Int) {
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
        auto v = make(PickleValue::Kind::Storage);
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
            push(make(PickleValue::Kind::None));
            return;
        case 0x88:
        case 0x89: {
            auto v = make(PickleValue::Kind::Bool);
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
            auto v = make(PickleValue::Kind::Float);
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
            std::vector<PickleValuePtr> items(m_stack.end() - static_cast<std::ptrdiff_t>(n),
                                              m_stack.end());
            m_stack.resize(m_stack.size() - n);
            push(tuple(std::move(items)));
            return;
        }
        case ']':
            push(make(PickleValue::Kind::List));
            return;
        case 'l': {
            auto list = make(PickleValue::Kind::List);
            list->items = popToMark();
            push(list);
            return;
        }
        case '}':
            push(make(PickleValue::Kind::Dict));
            return;
        case 'd': {
            auto dict = make(PickleValue::Kind::Dict);
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
            if (name->kind != PickleValue::Kind::String ||
                module->kind != PickleValue::Kind::String) {
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
            if (kind != PickleValue::Kind::Dict && kind != PickleValue::Kind::Tensor) {
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
    std::vector<PickleValuePtr> m_stack;
    std::vector<size_t> m_marks;
    std::map<uint64_t, PickleValuePtr> m_memo;
    std::map<std::string, torch::Tensor> m_storages;
};

} // namespace

PickleValuePtr unpickle(const std::string& data, const StorageLoader& loader,
                        const std::string& where) {
    return Unpickler(data, loader, where).run();
}

} // namespace pretext
