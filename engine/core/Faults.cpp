#include "Trainer.h"

#include <sstream>

namespace pretext {

bool parseFaultInjection(const std::string& spec, FaultInjection* faults, std::string* error) {
    FaultInjection f;
    std::istringstream in(spec);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto at = item.find('@');
        const std::string kind = item.substr(0, at);
        int64_t step = 0;
        try {
            size_t used = 0;
            step = at == std::string::npos ? 0 : std::stoll(item.substr(at + 1), &used);
            if (used != item.size() - at - 1) {
                step = 0;
            }
        } catch (const std::exception&) {
            step = 0;
        }
        if (step < 1) {
            *error = "fault '" + item + "': expected KIND@STEP with a step from 1";
            return false;
        }
        if (kind == "nan-loss") {
            f.nanLossAtStep = step;
        } else if (kind == "nan-grad") {
            f.nanGradientAtStep = step;
        } else if (kind == "oom" || kind == "oom-twice") {
            f.outOfMemoryAtStep = step;
            f.oomAttempts = kind == "oom" ? 1 : 2;
        } else if ((kind.rfind("kill-rank", 0) == 0 || kind.rfind("hang-rank", 0) == 0) &&
                   kind.size() > 9 &&
                   kind.find_first_not_of("0123456789", 9) == std::string::npos) {
            f.rankFaultAtStep = step;
            f.faultyRank = std::stoi(kind.substr(9));
            f.rankHangs = kind[0] == 'h';
        } else {
            *error = "fault '" + item + "': unknown kind '" + kind +
                     "' (nan-loss, nan-grad, oom, oom-twice, kill-rankR or hang-rankR)";
            return false;
        }
    }
    *faults = f;
    return true;
}

} // namespace pretext
