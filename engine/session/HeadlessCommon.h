#pragma once
// What the headless commands share: their output streams, the error that ends a
// command with a message, the options every command takes, and loading --data.
// Private to engine/session.
#include "Bench.h"
#include "DataSource.h"
#include "Params.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <vector>

namespace pretext::headless {

QTextStream& out();
QTextStream& err();

// An error for a person, turned into a message and an exit code at the top.
struct CommandError {
    QString message;
    int exitCode = 1;
};

struct Common {
    QString task;
    ParamValues params;
    TaskInfo info;
    quint64 seed = 1;
    int sizePx = 64;
};

// A command-line shorthand for a task parameter: --mask freeform for --param mask=freeform.
struct ParamShorthand {
    QString option;      // the parameter's name with dashes
    QString param;       // the parameter's name
    QString description; // from the tasks that have it
    QString valueName;
};
// One for every whole-number and choice parameter of the registered tasks.
std::vector<ParamShorthand> paramShorthands();

void addCommonOptions(QCommandLineParser& p);
qint64 intValue(const QCommandLineParser& p, const QString& name, qint64 lo, qint64 hi);
Common parseCommon(QCommandLineParser& p, const QStringList& args);
LoadedData loadData(const QCommandLineParser& p, const Common& c);

// `bench --data PATH` on image files: the input pipeline's figures (HeadlessPipeline.cpp).
struct PipelineFigures {
    int64_t files = 0;
    double indexSeconds = 0;
    int threads = 1;       // decode threads of the second measurement
    double oneThread = 0;  // images/s decoded and augmented by one decode thread
    double allThreads = 0; // and by `threads`
};
PipelineFigures benchPipeline(const QCommandLineParser& p, const Common& c, int batch);
// Writes a long Motion-JPEG video from the demo video, indexes it and reads clips from it
// (--video-frames, --budget-mb, --stride, --pipeline, --decode-threads); prints the figures.
void benchVideoDecoding(const QCommandLineParser& p, const Common& c);
void printPipelineRatio(const PipelineFigures& f, const std::string& task,
                        double trainImagesPerSec);

int trainCommand(const QStringList& args);
int presetsCommand(const QStringList& args);
int probeCommand(const QStringList& args);
int exportCommand(const QStringList& args);
int knnCommand(const QStringList& args);
int embedCommand(const QStringList& args);
int saliencyCommand(const QStringList& args);
// `bench --embedding`: t-SNE and PCA of clustered features, neighbour queries (HeadlessEmbed.cpp).
void benchEmbedding(const QCommandLineParser& p);
int shortcutsCommand(const QStringList& args);
// The benchmark's options every measurement shares (task, parameters, size, batch, steps,
// device, seed, allocator, convolution route), from the command line.
BenchOptions benchOptions(const QCommandLineParser& p, const Common& c);
// `bench --nproc N`: one process against N ranks on this machine (HeadlessScaling.cpp).
int benchDataParallel(QCommandLineParser& p, const QStringList& args);

// Resident memory now and at its peak (Linux: VmRSS, VmHWM), in MB; 0 where unknown.
double currentRssMb();
double peakRssMb();

} // namespace pretext::headless
