#include "tasks/Registry.h"

#include "tasks/colorization/ColorizationTask.h"
#include "tasks/inpainting/InpaintingTask.h"
#include "tasks/jigsaw/JigsawTask.h"
#include "tasks/rotation/RotationTask.h"
#include "tasks/temporal/TemporalOrderTask.h"

#include <mutex>

namespace pretext {

namespace {
struct Entry {
    std::string name;
    TaskFactory make;
};

// The built-in tasks, in the order the window lists them; then those registered.
struct Registry {
    std::mutex lock;
    std::vector<Entry> entries = {
        {"inpainting", [] { return std::make_unique<InpaintingTask>(); }},
        {"jigsaw", [] { return std::make_unique<JigsawTask>(); }},
        {"colorization", [] { return std::make_unique<ColorizationTask>(); }},
        {"temporal-order", [] { return std::make_unique<TemporalOrderTask>(); }},
        {"rotation", [] { return std::make_unique<RotationTask>(); }},
    };
};

Registry& registry() {
    static Registry r;
    return r;
}

std::vector<Entry> snapshot() {
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.lock);
    return r.entries;
}
} // namespace

std::vector<std::string> taskNames() {
    std::vector<std::string> names;
    for (const auto& e : snapshot()) {
        names.push_back(e.name);
    }
    return names;
}

std::vector<TaskInfo> taskInfos() {
    std::vector<TaskInfo> infos;
    for (const auto& e : snapshot()) {
        infos.push_back(e.make()->info());
    }
    return infos;
}

std::unique_ptr<Task> makeTask(const std::string& name) {
    for (const auto& e : snapshot()) {
        if (name == e.name) {
            return e.make();
        }
    }
    return nullptr;
}

std::string defaultTaskName() {
    return snapshot().front().name;
}

bool registerTask(const std::string& name, TaskFactory make) {
    if (name.empty() || !make) {
        return false;
    }
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.lock);
    for (const auto& e : r.entries) {
        if (e.name == name) {
            return false;
        }
    }
    r.entries.push_back({name, std::move(make)});
    return true;
}

} // namespace pretext
