#pragma once
// A run's trained encoder written for PyTorch: a state dict file (torchvision's key
// names for a ResNet, without fc.*) and a JSON description beside it (task, backbone,
// input size and normalisation, data, probe results, a Python snippet that loads it).
#include <QJsonObject>
#include <QString>

namespace pretext {

struct ExportRequest {
    QString runDir;  // a run folder, or a checkpoint file
    QString outPath; // encoder.pt; the description goes to the same name with .json
    int stage = 0;   // the stem and stages up to this one (1-based); 0: all
};

// Writes both files (each whole or not at all) and returns the description. Throws
// std::runtime_error naming the run or file and the problem.
QJsonObject exportEncoder(const ExportRequest& request);

} // namespace pretext
