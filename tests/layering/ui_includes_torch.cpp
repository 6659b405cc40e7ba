// Must not compile: a file of the UI layer that includes LibTorch (tests/layering/check.sh).
#include "SessionTypes.h"

#include <torch/torch.h>

int uiTouchesTorch() {
    return static_cast<int>(torch::ones({2}).sum().item<float>());
}
