// Must compile: the control for ui_includes_torch.cpp, the same target setup with only
// what the UI layer may include (tests/layering/check.sh).
#include "EngineWorker.h"
#include "Params.h"
#include "SessionTypes.h"

#include <QWidget>

int uiTouchesSession() {
    pretext::TrainSettings settings;
    return settings.batchSize;
}
