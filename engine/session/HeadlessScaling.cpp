// `bench --nproc N`: data-parallel training measured against one process on the same
// cores: images/s of 1 process × all threads and of N ranks × their share of the threads
// (the same global batch), the gradient all-reduce's time per step and its share of the
// step, and the bytes each rank sends per step.
#include "HeadlessCommon.h"
#include "LocalLauncher.h"
#include "Memory.h"
#include "Threads.h"
#include "dist/DataParallelBench.h"

#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace pretext::headless {

namespace {
const char* const kFiguresTag = "data-parallel-figures ";

QString cpuName() {
    QFile f(QStringLiteral("/proc/cpuinfo"));
    if (f.open(QIODevice::ReadOnly)) {
        const QString text = QString::fromUtf8(f.readAll());
        const auto m = QRegularExpression(QStringLiteral("model name\\s*:\\s*(.*)")).match(text);
        if (m.hasMatch()) {
            return m.captured(1).trimmed();
        }
    }
    return QStringLiteral("CPU model unknown");
}

QString describe(const DataParallelFigures& f, const QString& who) {
    return QStringLiteral("  %1 %2 images/s, %3 ms per step; model step alone %4 images/s")
        .arg(who.leftJustified(34))
        .arg(f.imagesPerSec, 8, 'f', 1)
        .arg(f.msPerStep, 7, 'f', 1)
        .arg(f.modelImagesPerSec, 0, 'f', 1);
}
} // namespace

int benchDataParallel(QCommandLineParser& p, const QStringList& args) {
    const Common c = parseCommon(p, args);
    const BenchOptions o = benchOptions(p, c);
    if (p.isSet("dist-worker")) { // one rank of the measurement the launcher started
        const std::optional<DistSettings> dist = distFromEnvironment();
        if (!dist || !dist->distributed()) {
            throw CommandError{QStringLiteral("--dist-worker runs under bench --nproc N"), 2};
        }
        configureThreads(std::max(1, usableCpus() / dist->localWorldSize));
        configureMemory(o.keepFreedMemory);
        DistSettings s = *dist;
        s.backend = "gloo";
        const auto comm = Communicator::join(s, torch::kCPU);
        const DataParallelFigures f = measureDataParallel(o, comm);
        if (comm->rank() == 0) {
            out() << kFiguresTag << QString::fromStdString(dataParallelJson(f)) << Qt::endl;
        }
        return 0;
    }
    const int nproc = static_cast<int>(intValue(p, "nproc", 2, 1024));
    const int cpus = usableCpus();
    configureThreads(cpus);
    configureMemory(o.keepFreedMemory); // as training sets it (Memory.h)
    BenchOptions whole = o;
    whole.batchSize = o.batchSize * nproc; // the same global batch in one process
    out() << QStringLiteral("data-parallel training, %1, %2 px, global batch %3 (%4 per rank), "
                            "%5 timed steps; %6, %7 usable CPUs")
                 .arg(c.task)
                 .arg(c.sizePx)
                 .arg(whole.batchSize)
                 .arg(o.batchSize)
                 .arg(o.steps)
                 .arg(cpuName())
                 .arg(cpus)
          << Qt::endl;
    const DataParallelFigures one = measureDataParallel(whole, nullptr);
    out() << QStringLiteral("  encoder %1, %2 parameters")
                 .arg(QString::fromStdString(one.encoder))
                 .arg(one.parameters)
          << Qt::endl
          << describe(one, QStringLiteral("1 process × %1 threads").arg(one.threads)) << Qt::endl;
    QStringList rest{QStringLiteral("bench")};
    rest << args.mid(1) << QStringLiteral("--dist-worker") << QStringLiteral("--no-ceiling");
    const LaunchResult r = launchLocalRanks(nproc, rest, 60, true);
    const QString output = QString::fromUtf8(r.rank0Output);
    const qsizetype at = output.indexOf(QLatin1String(kFiguresTag));
    if (r.exitCode != 0 || at < 0) {
        throw CommandError{QStringLiteral("the %1 ranks did not report: %2")
                               .arg(nproc)
                               .arg(r.summary.isEmpty() ? output : r.summary),
                           1};
    }
    const QString line =
        output.mid(at + static_cast<qsizetype>(qstrlen(kFiguresTag))).section('\n', 0, 0);
    const DataParallelFigures many = parseDataParallelJson(line.toStdString());
    const double mb = static_cast<double>(many.bytesPerStep) / (1024.0 * 1024.0);
    out()
        << describe(many, QStringLiteral("%1 ranks × %2 thread%3 (gloo)")
                              .arg(many.world)
                              .arg(many.threads)
                              .arg(many.threads == 1 ? "" : "s"))
        << QStringLiteral("   %1× one process").arg(many.imagesPerSec / one.imagesPerSec, 0, 'f', 2)
        << Qt::endl
        << QStringLiteral("  gradient all-reduce: %1 MB per rank per step in %2 bucket(s); %3 ms "
                          "from the first bucket sent to the last reduced, %4 ms of it after "
                          "backward (%5% of the step, the wait for the slower rank included)")
               .arg(mb, 0, 'f', 2)
               .arg(many.buckets)
               .arg(many.allReduceSpanMs, 0, 'f', 1)
               .arg(many.allReduceWaitMs, 0, 'f', 1)
               .arg(100.0 * many.allReduceWaitMs / many.msPerStep, 0, 'f', 1)
        << Qt::endl
        << QStringLiteral("  the same all-reduce alone, ranks lined up: %1 ms (%2 GB/s of "
                          "gradients per rank; %3% of a step)")
               .arg(many.allReduceAloneMs, 0, 'f', 1)
               .arg(many.allReduceAloneMs > 0
                        ? static_cast<double>(many.bytesPerStep) / (many.allReduceAloneMs * 1e6)
                        : 0.0,
                    0, 'f', 2)
               .arg(100.0 * many.allReduceAloneMs / many.msPerStep, 0, 'f', 1)
        << Qt::endl;
    if (p.isSet("json")) { // both sides, for tests/bench/ddp_compare.sh
        QFile file(p.value("json"));
        const QByteArray json = QStringLiteral("{\"one_process\": %1,\n \"ranks\": %2}\n")
                                    .arg(QString::fromStdString(dataParallelJson(one)),
                                         QString::fromStdString(dataParallelJson(many)))
                                    .toUtf8();
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size()) {
            throw CommandError{QStringLiteral("%1 could not be written: %2")
                                   .arg(file.fileName(), file.errorString()),
                               1};
        }
    }
    return 0;
}

} // namespace pretext::headless
