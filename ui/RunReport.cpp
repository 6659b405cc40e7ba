#include "RunReport.h"

#include "CurveMath.h"
#include "CurvePlot.h"
#include "RunHistory.h"
#include "TaskText.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace {

QString esc(const QString& s) {
    return s.toHtmlEscaped();
}

QString valueText(const QJsonValue& v) {
    if (v.isObject() || v.isArray()) {
        const QJsonDocument doc =
            v.isObject() ? QJsonDocument(v.toObject()) : QJsonDocument(v.toArray());
        return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    }
    return v.toVariant().toString();
}

QString number(double v) {
    return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', 5);
}

} // namespace

bool writeRunReport(const QString& runDir, QString* reportPath, QString* error) {
    const QDir run(runDir);
    pretext::RunCurves curves;
    if (!pretext::readRunCurves(run.filePath(QStringLiteral("metrics.csv")), &curves, error)) {
        return false;
    }
    QFile configFile(run.filePath(QStringLiteral("config.json")));
    if (!configFile.open(QIODevice::ReadOnly)) {
        *error = QObject::tr("%1 holds no config.json").arg(QDir::toNativeSeparators(runDir));
        return false;
    }
    const QJsonObject config = QJsonDocument::fromJson(configFile.readAll()).object();
    QDir out(run.filePath(QStringLiteral("report")));
    if (!out.mkpath(QStringLiteral("previews"))) {
        *error = QObject::tr("%1 could not be created").arg(QDir::toNativeSeparators(out.path()));
        return false;
    }

    // One plot per quantity: the loss with the held-out loss, then each metric with its
    // held-out counterpart.
    QList<QStringList> groups{{QStringLiteral("loss"), QStringLiteral("heldout_loss")}};
    for (auto it = curves.metrics.cbegin(); it != curves.metrics.cend(); ++it) {
        if (!it.key().startsWith(QLatin1String("heldout_"))) {
            groups << QStringList{it.key(), QStringLiteral("heldout_") + it.key()};
        }
    }
    QString html;
    QString plots;
    for (const QStringList& group : groups) {
        CurvePlot plot(pretext::metricText(group.front()));
        plot.resize(900, 380);
        for (const QString& name : group) {
            const QVector<double> values =
                name == QLatin1String("loss") ? curves.loss : curves.metrics.value(name);
            for (int i = 0; i < values.size(); ++i) {
                if (!std::isnan(values[i])) {
                    plot.addPoint(name, curves.steps[i], curves.wallS[i], values[i]);
                }
            }
        }
        if (plot.pointCount() == 0) {
            continue;
        }
        const QString file = group.front() + QStringLiteral(".png");
        if (!plot.exportImage(out.filePath(file), error, QSize(900, 380))) {
            return false;
        }
        plots += QStringLiteral("<figure><img src=\"%1\" alt=\"%2\"></figure>\n")
                     .arg(file, esc(group.front()));
    }

    // Final metrics: the last and best of every column.
    QString finals = QStringLiteral(
        "<table><tr><th>quantity</th><th>last</th><th>best</th><th>at step</th></tr>\n");
    auto finalRow = [&](const QString& name, const QVector<double>& v) {
        const auto lastAt =
            std::find_if(v.crbegin(), v.crend(), [](double x) { return !std::isnan(x); });
        const int best = curves::bestIndex(v, curves::lowerIsBetter(name));
        finals += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>\n")
                      .arg(esc(name), number(lastAt == v.crend() ? qQNaN() : *lastAt),
                           number(best < 0 ? qQNaN() : v[best]),
                           best < 0 ? QString() : QString::number(curves.steps[best]));
    };
    finalRow(QStringLiteral("loss (batches)"), curves.loss);
    for (auto it = curves.metrics.cbegin(); it != curves.metrics.cend(); ++it) {
        finalRow(it.key(), it.value());
    }
    finals += QStringLiteral("</table>\n");

    QString configRows;
    for (auto it = config.begin(); it != config.end(); ++it) {
        configRows += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td></tr>\n")
                          .arg(esc(it.key()), esc(valueText(it.value())));
    }

    // Previews over steps: up to eight, spread over the run.
    QString previews;
    const auto saved = pretext::runPreviews(runDir);
    const QList<qint64> steps = saved.keys();
    const int shown = std::min<int>(8, static_cast<int>(steps.size()));
    for (int k = 0; k < shown; ++k) {
        const qint64 step =
            steps[shown == 1 ? steps.size() - 1 : k * (steps.size() - 1) / (shown - 1)];
        const QString name = QFileInfo(saved.value(step)).fileName();
        QFile::remove(out.filePath(QStringLiteral("previews/") + name));
        if (!QFile::copy(saved.value(step), out.filePath(QStringLiteral("previews/") + name))) {
            *error = QObject::tr("%1 could not be copied into the report").arg(saved.value(step));
            return false;
        }
        previews += QStringLiteral("<figure><img src=\"previews/%1\" alt=\"step "
                                   "%2\"><figcaption>step %2</figcaption></figure>\n")
                        .arg(name)
                        .arg(step);
    }

    const QString title = QObject::tr("Run %1 (%2)")
                              .arg(run.dirName(), config.value(QStringLiteral("task")).toString());
    html =
        QStringLiteral(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%1</title>\n"
            "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px "
            "8px;text-align:left}"
            "figure{margin:1em 0}img{max-width:100%}code{font-size:90%}</style></head><body>\n"
            "<h1>%1</h1>\n<p>%2 steps logged; report written %3.</p>\n"
            "<h2>Final metrics</h2>\n%4<h2>Curves</h2>\n%5<h2>Previews over steps</h2>\n%6"
            "<h2>Config</h2>\n<table>%7</table>\n</body></html>\n")
            .arg(esc(title))
            .arg(curves.rows())
            .arg(QDateTime::currentDateTime().toString(Qt::ISODate), finals, plots,
                 previews.isEmpty() ? QObject::tr("<p>The run saved no previews.</p>") : previews,
                 configRows);
    QSaveFile file(out.filePath(QStringLiteral("report.html")));
    const QByteArray bytes = html.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error =
            QObject::tr("%1 could not be written: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    *reportPath = file.fileName();
    return true;
}
