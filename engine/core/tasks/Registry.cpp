#include "tasks/Registry.h"

#include "tasks/colorization/ColorizationTask.h"
#include "tasks/inpainting/InpaintingTask.h"
#include "tasks/jigsaw/JigsawTask.h"
#include "tasks/rotation/RotationTask.h"
#include "tasks/temporal/TemporalOrderTask.h"

#include <functional>

namespace pretext {

namespace {
struct Entry {
    const char* name;
    std::function<std::unique_ptr<Task>()> make;
};

const std::vector<Entry>& entries() {
    static const std::vector<Entry> list = {
        {"inpainting", [] { return std::make_unique<InpaintingTask>(); }},
        {"jigsaw", [] { return std::make_unique<JigsawTask>(); }},
        {"colorization", [] { return std::make_unique<ColorizationTask>(); }},
        {"temporal-order", [] { return std::make_unique<TemporalOrderTask>(); }},
        {"rotation", [] { return std::make_unique<RotationTask>(); }},
    };
    return list;
}
} // namespace

std::vector<std::string> taskNames() {
    std::vector<std::string> names;
    for (const auto& e : entries()) {
        names.emplace_back(e.name);
    }
    return names;
}

std::vector<TaskInfo> taskInfos() {
    std::vector<TaskInfo> infos;
    for (const auto& e : entries()) {
        infos.push_back(e.make()->info());
    }
    return infos;
}

std::unique_ptr<Task> makeTask(const std::string& name) {
    for (const auto& e : entries()) {
        if (name == e.name) {
            return e.make();
        }
    }
    return nullptr;
}

} // namespace pretext
