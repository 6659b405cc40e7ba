// The list of engine and preset display strings that lupdate reads (ui/EngineStrings.cpp)
// is current: it is made again here from the task registry (titles, option labels, help,
// choices, loss formulas, plot titles), from what each task shows when previewed and
// trained one step under every choice of its options (column titles, histogram titles,
// metric names), and from the built-in presets and diagnostics, and compared with the
// file. With PRETEXT_UPDATE_STRINGS=1 the file is rewritten instead.
#include "DataSource.h"
#include "Presets.h"
#include "Preview.h"
#include "TaskText.h"
#include "TrainingSession.h"
#include "tasks/Registry.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

using namespace pretext;

namespace {
QString cLiteral(const QString& s) {
    QString out;
    for (const QChar c : s) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('"')) {
            out += QLatin1Char('\\');
            out += c;
        } else if (c == QLatin1Char('\n')) {
            out += QStringLiteral("\\n");
        } else {
            out += c;
        }
    }
    return QLatin1Char('"') + out + QLatin1Char('"');
}
} // namespace

class TestStrings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void extractionListIsCurrent() {
        std::map<QString, std::set<QString>> strings; // context -> sorted texts
        auto add = [&](const char* context, const QString& text) {
            if (!text.trimmed().isEmpty()) {
                strings[QString::fromLatin1(context)].insert(text);
            }
        };
        auto addMetric = [&](QString key) {
            if (key.startsWith(QLatin1String("heldout_"))) {
                key = key.mid(8);
            }
            add(kMetricTextContext, key.replace(QLatin1Char('_'), QLatin1Char(' ')));
        };
        const LoadedData images = loadDemoData(32, 1, 48, false);
        const LoadedData video = loadDemoData(32, 1, 48, true);
        QTemporaryDir runs;
        int runIndex = 0;
        int untrainable = 0; // settings the demo data cannot train under
        for (const std::string& name : taskNames()) {
            const auto task = makeTask(name);
            const TaskInfo info = task->info();
            add(kTaskTextContext, QString::fromStdString(info.title));
            add(kTaskTextContext, QString::fromStdString(info.lossFormula));
            add(kTaskTextContext, QString::fromStdString(info.metricPlotTitle));
            add(kTaskTextContext, QString::fromStdString(info.mathIntro));
            for (const auto& [form, text] : info.mathIntroByForm) {
                add(kTaskTextContext, QString::fromStdString(text));
            }
            for (const std::string& m : info.plottedMetrics) {
                addMetric(QString::fromStdString(m));
            }
            // Defaults, then each choice of each option in turn. The backbone changes no
            // text a task shows (only the network under it): trained on the small one.
            std::vector<ParamValues> settings{{}};
            for (const ParamSpec& spec : info.params) {
                add(kTaskTextContext, QString::fromStdString(spec.label));
                add(kTaskTextContext, QString::fromStdString(spec.help));
                const bool network = spec.name == "backbone" || spec.name == "stem";
                for (size_t c = 0; c < spec.choices.size(); ++c) {
                    add(kTaskTextContext, QString::fromStdString(spec.choices[c]));
                    if (static_cast<double>(c) != spec.defaultValue && !spec.display && !network) {
                        settings.push_back({{spec.name, static_cast<double>(c)}});
                    }
                }
            }
            const LoadedData& data = info.video ? video : images;
            for (const ParamValues& params : settings) {
                for (const QString& t : makePreview(*task, data, params, 1, 4).columnTitles) {
                    add(kTaskTextContext, t);
                }
                SessionOptions options;
                options.settings.task = QString::fromStdString(name);
                for (const auto& [k, v] : params) {
                    options.settings.params.insert(QString::fromStdString(k), v);
                }
                options.settings.batchSize = 8;
                options.settings.maxSteps = 1;
                options.settings.device = QStringLiteral("cpu");
                options.settings.runDir = runs.filePath(QString::number(runIndex++));
                // A choice the small demo data cannot train under (a motion filter no
                // window reaches) shows its columns in the preview alone; any other failure
                // to start is a failure of this test.
                std::unique_ptr<TrainingSession> made;
                try {
                    made = std::make_unique<TrainingSession>(options, data);
                } catch (const std::exception& e) {
                    QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral("motion filter")),
                             qPrintable(QStringLiteral("%1 would not train: %2")
                                            .arg(options.settings.task, e.what())));
                    ++untrainable;
                    continue;
                }
                TrainingSession& session = *made;
                const TrainProgress p = session.step();
                for (const QString& key : p.metrics.keys()) {
                    addMetric(key);
                }
                add(kTaskTextContext, p.histogramTitle);
                add(kTaskTextContext, p.histogramAxis);
                for (const QString& l : p.histogramLabels) {
                    add(kTaskTextContext, l);
                }
                for (const QString& t : session.snapshot().columnTitles) {
                    add(kTaskTextContext, t);
                }
                session.finish();
            }
        }
        qInfo("%d settings the demo data cannot train under (previewed only)", untrainable);
        for (const Preset& p : builtInPresets()) {
            add(kPresetTextContext, p.title);
            add(kPresetTextContext, p.description);
        }
        for (const ShortcutDiagnostic& d : builtInDiagnostics()) {
            add(kPresetTextContext, d.title);
            add(kPresetTextContext, d.explain);
            for (const QString& l : d.labels) {
                add(kPresetTextContext, l);
            }
        }

        QString text = QStringLiteral("// The engine's and the built-in presets' display strings, "
                                      "listed for lupdate: they are\n"
                                      "// translated where they are shown "
                                      "(engine/session/TaskText.h), since the engine core has\n"
                                      "// no Qt. Made by test_strings from the task registry and "
                                      "the presets; after changing\n"
                                      "// a task's texts run `PRETEXT_UPDATE_STRINGS=1 "
                                      "build/tests/test_strings` to remake it.\n"
                                      "#include <QtGlobal>\n\n"
                                      "// One string a line, as written here:\n"
                                      "// clang-format off\n"
                                      "namespace pretext {\n\n"
                                      "extern const char* const kEngineStrings[];\n"
                                      "const char* const kEngineStrings[] = {\n");
        int count = 0;
        for (const auto& [context, texts] : strings) {
            for (const QString& t : texts) {
                text += QStringLiteral("    QT_TRANSLATE_NOOP(%1, %2),\n")
                            .arg(cLiteral(context), cLiteral(t));
                ++count;
            }
        }
        text += QStringLiteral("    nullptr};\n\n} // namespace pretext\n// clang-format on\n");
        QVERIFY(count > 200);

        const QString path = QStringLiteral(PRETEXT_SOURCE_DIR "/ui/EngineStrings.cpp");
        if (qEnvironmentVariableIsSet("PRETEXT_UPDATE_STRINGS")) {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(text.toUtf8());
            qInfo().noquote() << "wrote" << path << "with" << count << "strings";
            return;
        }
        QFile in(path);
        QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path));
        const QStringList have = QString::fromUtf8(in.readAll()).split(QLatin1Char('\n'));
        const QStringList want = text.split(QLatin1Char('\n'));
        const QSet<QString> haveSet(have.begin(), have.end());
        const QSet<QString> wantSet(want.begin(), want.end());
        for (const QString& line : want) {
            if (!haveSet.contains(line)) {
                qWarning().noquote() << "missing from ui/EngineStrings.cpp:" << line;
            }
        }
        for (const QString& line : have) {
            if (!wantSet.contains(line)) {
                qWarning().noquote() << "no longer shown, still in ui/EngineStrings.cpp:" << line;
            }
        }
        QVERIFY2(have == want, "ui/EngineStrings.cpp is out of date (the lines are listed above); "
                               "PRETEXT_UPDATE_STRINGS=1 build/tests/test_strings remakes it");
    }
};

QTEST_MAIN(TestStrings)
#include "test_strings.moc"
