// Distributed training as a user starts it: `train --nproc 2` (the local launcher) and
// ranks started by hand with torchrun's variables. Rank 0 alone writes the run folder; a
// run resumes with another world size; a rank killed mid-run is named by the others
// within the timeout; ranks started with different settings are refused.
#include "../common/RunProgram.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {
QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

// The step column of metrics.csv.
QList<int> metricSteps(const QString& runDir) {
    QFile f(QDir(runDir).filePath("metrics.csv"));
    QList<int> steps;
    if (!f.open(QIODevice::ReadOnly)) {
        return steps;
    }
    f.readLine(); // header
    while (!f.atEnd()) {
        steps << QString::fromUtf8(f.readLine()).section(',', 0, 0).toInt();
    }
    return steps;
}

QList<int> range(int from, int to) {
    QList<int> r;
    for (int i = from; i <= to; ++i) {
        r << i;
    }
    return r;
}

const QStringList kSmallRun{"--task", "rotation", "--size", "32", "--batch", "8"};
} // namespace

class TestCliDist : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_run;

private Q_SLOTS:
    // Two ranks started in a working directory of their own: the run folder is the only
    // thing written, and it says how the run was distributed.
    void launcherTrainsAndRankZeroAloneWrites() {
        const QString work = m_dir.filePath("work");
        QVERIFY(QDir().mkpath(work));
        m_run = QDir(work).filePath("run");
        QProcess p;
        p.setWorkingDirectory(work);
        p.start(QStringLiteral(PRETEXT_BINARY),
                QStringList{"train", "--nproc", "2", "--steps", "6", "--checkpoint-every", "3",
                            "--sync-bn", "--out", m_run} +
                    kSmallRun);
        QVERIFY(p.waitForFinished(180000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(err));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains("rank 0 of 2 (gloo"), qPrintable(out));
        QVERIFY2(out.contains("global batch 16"), qPrintable(out));
        QCOMPARE(out.count("step 6/6"), 1); // rank 1 prints no progress
        QCOMPARE(QDir(work).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{"run"});
        const QJsonObject config = readJson(QDir(m_run).filePath("config.json"));
        QCOMPARE(config["global_batch"].toInt(), 16);
        QCOMPARE(config["distributed"].toObject()["world_size"].toInt(), 2);
        QCOMPARE(config["distributed"].toObject()["batch_per_rank"].toInt(), 8);
        QCOMPARE(config["sync_bn"].toBool(), true);
        QCOMPARE(metricSteps(m_run), range(1, 6));
        QCOMPARE(readJson(QDir(m_run).filePath("checkpoint.json"))["step"].toInt(), 6);
    }

    // The two-rank run goes on in one process: the curve continues from step 6.
    void resumesWithAnotherWorldSize() {
        QVERIFY(!m_run.isEmpty());
        const Result r = run({"train", "--resume", m_run, "--steps", "9"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("from step 6"), qPrintable(r.out));
        QCOMPARE(metricSteps(m_run), range(1, 9));
        const QJsonObject config = readJson(QDir(m_run).filePath("config.json"));
        QCOMPARE(config["resumed"].toArray().last().toObject()["world_size"].toInt(), 1);
        // And back to two ranks.
        const Result again = run({"train", "--resume", m_run, "--steps", "11", "--nproc", "2"});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QCOMPARE(metricSteps(m_run), range(1, 11));
    }

    // Rank 0 cannot start (the folder already holds a run): both ranks stop, rank 1
    // quoting rank 0's reason, instead of waiting for it until the timeout.
    void aRankThatCannotStartStopsEveryRank() {
        QVERIFY(!m_run.isEmpty());
        const Result r = run(QStringList{"train", "--nproc", "2", "--steps", "3", "--out", m_run,
                                         "--dist-timeout", "60"} +
                             kSmallRun);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("already holds a run"), qPrintable(r.err));
        QVERIFY2(r.err.contains("during setting up: rank 0:"), qPrintable(r.err));
    }

    // Rank 1 is killed at step 4: rank 0 stops with a message naming it (well within the
    // timeout: its connection resets), and the checkpoint of step 3 stays loadable.
    void killedRankIsNamed() {
        const QString runDir = m_dir.filePath("killed");
        const Result r = run(QStringList{"train", "--nproc", "2", "--steps", "8", "--out", runDir,
                                         "--checkpoint-every", "3", "--dist-timeout", "30",
                                         "--inject-fault", "kill-rank1@4"} +
                             kSmallRun);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("rank 0 of 2 stopped at step 4: rank 1 stopped answering"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("the checkpoint of step 3 is intact"), qPrintable(r.err));
        QVERIFY2(r.err.contains("rank 1 ended abnormally"), qPrintable(r.err));
        const Result resumed = run({"train", "--resume", runDir, "--steps", "5"});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(metricSteps(runDir), range(1, 5));
    }

    // Ranks started by hand as torchrun would start them, rank 1 with another seed: both
    // refuse, and neither writes a run.
    void mismatchedRanksAreRefused() {
        const QString runDir = m_dir.filePath("mismatch");
        const QString port = QString::number(20000 + QRandomGenerator::global()->bounded(20000));
        std::array<QProcess, 2> ranks;
        for (int r = 0; r < 2; ++r) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("RANK", QString::number(r));
            env.insert("WORLD_SIZE", "2");
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", port);
            ranks[r].setProcessEnvironment(env);
            ranks[r].start(QStringLiteral(PRETEXT_BINARY),
                           QStringList{"train", "--steps", "3", "--out", runDir, "--seed",
                                       r == 0 ? "1" : "2", "--dist-timeout", "30"} +
                               kSmallRun);
        }
        QString errors[2];
        for (int r = 0; r < 2; ++r) {
            QVERIFY(ranks[r].waitForFinished(120000));
            errors[r] = QString::fromUtf8(ranks[r].readAllStandardError());
            QVERIFY2(ranks[r].exitCode() != 0, qPrintable(errors[r]));
        }
        QVERIFY2(errors[1].contains("its seed is '2', rank 0's is '1'"), qPrintable(errors[1]));
        QVERIFY2(errors[0].contains("rank 1: rank 1's configuration differs"),
                 qPrintable(errors[0]));
        QVERIFY(!QDir(runDir).exists());
    }

    // The benchmark runs both sides and reports the all-reduce (figures are not judged),
    // and its PyTorch peer (DistributedDataParallel, 2 Python ranks) runs on its spec.
    void benchComparesRanksWithOneProcess() {
        const QString json = m_dir.filePath("dp.json");
        Result r = run({"bench", "--nproc", "2", "--task", "rotation", "--size", "32", "--batch",
                        "4", "--steps", "2", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("model step alone [0-9.]+ images/s")),
                 qPrintable(r.out));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject both = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(both.value("ranks").toObject().value("world").toInt(), 2);
        QVERIFY(both.value("ranks").toObject().value("model_images_per_s").toDouble() > 0.0);
        QVERIFY(both.value("one_process").toObject().value("model_images_per_s").toDouble() > 0.0);
        QVERIFY2(r.out.contains(QRegularExpression("1 process × \\d+ threads? +[0-9.]+ images/s")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression("2 ranks × \\d+ threads? \\(gloo\\) +[0-9.]+ "
                                                   "images/s.*[0-9.]+× one process")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("1.88 MB per rank per step"), qPrintable(r.out));

        if (runProgram("/usr/bin/python3",
                       {"-c", "import torch.distributed as d; "
                              "assert d.is_gloo_available()"},
                       60000)
                .exitCode != 0) {
            QSKIP("Debian's python3-torch is not installed: no PyTorch DDP peer");
        }
        const QString spec = m_dir.filePath("spec.json");
        r = run({"bench", "--task", "rotation", "--size", "32", "--batch", "4", "--steps", "1",
                 "--threads", "1", "--no-ceiling", "--no-loaders", "--json", spec});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runProgram("/usr/bin/python3",
                       {PRETEXT_DDP_REFERENCE, "--spec", spec, "--nproc", "2", "--steps", "2",
                        "--warmup", "1", "--no-single"},
                       120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("PyTorch DDP, 2 ranks x \\d+ thread\\(s\\) "
                                                   "\\(gloo\\), rotation: model step [0-9.]+")),
                 qPrintable(r.out));
    }

    void badEnvironmentIsNamed() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("WORLD_SIZE", "2");
        env.remove("RANK");
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(PRETEXT_BINARY),
                QStringList{"train", "--steps", "1", "--out", m_dir.filePath("env")});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("RANK is not set"));
    }
};

QTEST_GUILESS_MAIN(TestCliDist)
#include "test_cli_dist.moc"
