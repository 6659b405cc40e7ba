#include "MathPanel.h"

#include "TaskText.h"

#include <QEvent>
#include <QLocale>
#include <QScrollBar>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <cmath>

namespace {

QString num(double v, int digits = 4) {
    if (v == 0.0) {
        return QStringLiteral("0");
    }
    if (std::isinf(v)) {
        return QStringLiteral("∞");
    }
    const double a = std::abs(v);
    return a >= 1e-3 && a < 1e5 ? QString::number(v, 'g', digits) : QString::number(v, 'e', 2);
}

// Display formulas: a centred block in a serif face, larger than the prose.
QString formula(const QString& body) {
    return QStringLiteral("<p align=\"center\" style=\"font-family:'DejaVu Serif',serif; "
                          "font-size:large;\">%1</p>")
        .arg(body);
}

const QString xHat = QStringLiteral("<i>x&#770;</i>");
const QString zHat = QStringLiteral("<i>z&#770;</i>");

struct Formulas {
    QString pretext;
    QString loss;
    QString gradient;
};

// The loss and its gradient by the loss's form (LossForm.h's names); the task's own
// words about what it does come from the task (TaskInfo::mathIntro).
Formulas formulasFor(const pretext::TaskInfo& info, const QString& form) {
    Formulas f;
    f.pretext = pretext::taskText(info.mathIntro);
    const auto extra = info.mathIntroByForm.find(form.toStdString());
    if (extra != info.mathIntroByForm.end()) {
        f.pretext += QLatin1Char(' ') + pretext::taskText(extra->second);
    }
    if (form == QLatin1String("masked-mse")) {
        f.loss =
            formula(QStringLiteral("<i>L</i> = <sup>1</sup>&frasl;<sub>|<i>M</i>|</sub> "
                                   "&sum;<sub><i>i</i>&isin;<i>M</i></sub> (%1<sub><i>i</i></sub> "
                                   "&minus; <i>x<sub>i</sub></i>)<sup>2</sup>")
                        .arg(xHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1<sub><i>i</i></sub> = "
                           "<sup>2</sup>&frasl;<sub>|<i>M</i>|</sub> (%1<sub><i>i</i></sub> "
                           "&minus; <i>x<sub>i</sub></i>) for <i>i</i> &isin; <i>M</i>, "
                           "0 elsewhere")
                .arg(xHat));
    } else if (form == QLatin1String("soft-classes")) {
        f.loss = formula(
            QStringLiteral("<i>L</i> = &minus;<sup>1</sup>&frasl;<sub><i>N</i></sub> "
                           "&sum;<sub>pixels</sub> <i>v</i>(<i>z</i>) &sum;<sub><i>q</i></sub> "
                           "<i>z<sub>q</sub></i> log <i>p<sub>q</sub></i>, &nbsp; <i>p</i> = "
                           "softmax(%1)")
                .arg(zHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1<sub><i>q</i></sub> = "
                           "<sup><i>v</i></sup>&frasl;<sub><i>N</i></sub> (<i>p<sub>q</sub></i> "
                           "&minus; <i>z<sub>q</sub></i>)")
                .arg(zHat));
    } else if (form == QLatin1String("mse")) {
        f.loss =
            formula(QStringLiteral("<i>L</i> = <sup>1</sup>&frasl;<sub><i>BHWC</i></sub> &sum; (%1 "
                                   "&minus; <i>x</i>)<sup>2</sup>")
                        .arg(xHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1 = <sup>2</sup>&frasl;<sub><i>BHWC</i></sub> "
                           "(%1 &minus; <i>x</i>)")
                .arg(xHat));
    } else if (form == QLatin1String("positions")) {
        f.loss = formula(QStringLiteral("<i>L</i> = &minus;<sup>1</sup>&frasl;<sub><i>B</i></sub> "
                                        "&sum;<sub><i>b</i></sub> &sum;<sub><i>i</i></sub> log "
                                        "<i>p<sub>i</sub></i>(&pi;<sub><i>i</i></sub>), &nbsp; "
                                        "<i>p<sub>i</sub></i> = softmax(%1<sub><i>i</i></sub>)")
                             .arg(zHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1<sub><i>i</i></sub> = "
                           "<sup>1</sup>&frasl;<sub><i>B</i></sub> (softmax(%1<sub><i>i</i></sub>) "
                           "&minus; onehot(&pi;<sub><i>i</i></sub>))")
                .arg(zHat));
    } else if (form == QLatin1String("binary")) {
        f.loss = formula(
            QStringLiteral("<i>L</i> = &minus;<sup>1</sup>&frasl;<sub><i>B</i></sub> "
                           "&sum; [<i>y</i> log &sigma;(%1) + (1 &minus; <i>y</i>) log(1 &minus; "
                           "&sigma;(%1))]")
                .arg(zHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1 = <sup>1</sup>&frasl;<sub><i>B</i></sub> "
                           "(&sigma;(%1) &minus; <i>y</i>)")
                .arg(zHat));
    } else if (form == QLatin1String("classes")) {
        f.loss =
            formula(QStringLiteral("<i>L</i> = &minus;<sup>1</sup>&frasl;<sub><i>B</i></sub> "
                                   "&sum;<sub><i>b</i></sub> log <i>p</i>(<i>k<sub>b</sub></i> | "
                                   "<i>x<sub>b</sub></i>), &nbsp; <i>p</i> = softmax(%1)")
                        .arg(zHat));
        f.gradient = formula(
            QStringLiteral("&part;<i>L</i>/&part;%1 = <sup>1</sup>&frasl;<sub><i>B</i></sub> "
                           "(softmax(%1) &minus; onehot(<i>k</i>))")
                .arg(zHat));
    }
    return f;
}

QString liveNumbers(const pretext::InspectionView& in) {
    QString h;
    h += QObject::tr("<h3>This batch (step %1, %2 samples)</h3>").arg(in.step).arg(in.rows);
    const QString lossLine = QObject::tr("<i>L</i> = <b>%1</b>").arg(num(in.loss, 5));
    if (in.form == QLatin1String("masked-mse")) {
        h += QObject::tr(
                 "<p>|<i>M</i>| = <b>%1</b> hidden entries (hidden pixels &times; 3 channels; "
                 "with a rim weight above 1, the weighted count &sum; <i>w</i>); %2; "
                 "<sup>2</sup>&frasl;<sub>|<i>M</i>|</sub> = %3</p>")
                 .arg(QLocale().toString(in.count, 'f', 0), lossLine, num(2.0 / in.count));
    } else if (in.form == QLatin1String("mse")) {
        h += QObject::tr("<p><i>B&middot;H&middot;W&middot;C</i> = <b>%1</b> entries (<i>C</i> = "
                         "2: a, b); %2; "
                         "<sup>2</sup>&frasl;<sub><i>BHWC</i></sub> = %3</p>")
                 .arg(QLocale().toString(in.count, 'f', 0), lossLine, num(2.0 / in.count));
    } else if (in.form == QLatin1String("soft-classes")) {
        h += QObject::tr("<p><i>N</i> = <b>%1</b> output pixels; %2</p>")
                 .arg(QLocale().toString(in.count, 'f', 0), lossLine);
    } else {
        h += QObject::tr(
                 "<p>%1 &nbsp; (the mean of &minus;log <i>p</i>(truth) over the batch: %2)</p>")
                 .arg(lossLine, num(in.meanNegLogTrue, 5));
        h += QObject::tr(
                 "<p>Sample %1%2: <i>p</i>(truth) = <b>%3</b>, &minus;log <i>p</i> = <b>%4</b>; "
                 "chance would give %5.</p>")
                 .arg(in.sample)
                 .arg(in.truthCaption.isEmpty()
                          ? QString()
                          : QStringLiteral(" (%1)").arg(in.truthCaption.toHtmlEscaped()))
                 .arg(num(in.trueProbability), num(in.negLogTrue))
                 .arg(in.probabilities.isEmpty() ? QStringLiteral("—")
                      // A factorised head with uniform outputs: (1/T)^T for the whole order.
                      : in.form == QLatin1String("positions")
                          ? num(std::pow(1.0 / in.probabilities.size(),
                                         static_cast<double>(in.probabilities.size())))
                          : num(1.0 / in.probabilities.size()));
    }
    if (!in.entries.isEmpty()) {
        h += QObject::tr("<p>Entries of sample %1:</p>").arg(in.sample);
        h += QStringLiteral(
                 "<table cellspacing=\"0\" cellpadding=\"3\" border=\"1\" align=\"center\">"
                 "<tr><th>%1</th><th>%2</th><th><i>x</i></th><th>%2 &minus; <i>x</i></th>"
                 "<th>closed form</th><th>autograd</th></tr>")
                 .arg(QObject::tr("where"), xHat);
        for (const auto& e : in.entries) {
            h += QStringLiteral(
                     "<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>")
                     .arg(e.where.toHtmlEscaped(), num(e.predicted), num(e.target),
                          num(e.predicted - e.target), num(e.closedForm), num(e.autograd));
        }
        h += QStringLiteral("</table>");
    }
    const bool agree = in.maxAbsDifference <= 1e-5 * std::max(in.maxAbsGradient, 1e-30);
    h +=
        QObject::tr(
            "<p>Autograd against the closed form, over every entry of &part;<i>L</i>/&part;output: "
            "max |difference| = <b>%1</b> (the largest gradient is %2) %3</p>")
            .arg(num(in.maxAbsDifference), num(in.maxAbsGradient),
                 agree ? QObject::tr("&#10003; they agree") : QObject::tr("&#10007; they differ"));
    return h;
}

} // namespace

QString mathHtml(const pretext::TaskInfo& info, const pretext::InspectionView& in) {
    const QString task = QString::fromStdString(info.name);
    const bool live = !in.isEmpty() && in.task == task;
    const Formulas f = formulasFor(info, live ? in.form : QString::fromStdString(info.mathForm));
    QString h = QStringLiteral("<h2>%1</h2>").arg(pretext::taskText(info.title).toHtmlEscaped());
    if (!f.pretext.isEmpty()) {
        h += QStringLiteral("<p>%1</p>").arg(f.pretext);
    }
    if (!f.loss.isEmpty()) {
        h += QObject::tr("<h3>Loss</h3>") + f.loss;
        h += QObject::tr("<h3>Gradient with respect to the output</h3>") + f.gradient;
    }
    const QString lossFormula = pretext::taskText(info.lossFormula);
    if (!lossFormula.isEmpty()) {
        h += QObject::tr("<p><small>As implemented: %1</small></p>")
                 .arg(lossFormula.toHtmlEscaped());
    }
    if (!live) {
        h += QObject::tr(
            "<p><i>Train (or pause and step) to see the numbers of a batch here.</i></p>");
    } else {
        h += liveNumbers(in);
    }
    return h;
}

MathPanel::MathPanel(QWidget* parent) : QWidget(parent) {
    m_text = new QTextBrowser;
    m_text->setObjectName(QStringLiteral("mathText"));
    m_text->setOpenLinks(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
}

void MathPanel::setTask(const pretext::TaskInfo& info) {
    m_info = info;
    render();
}

void MathPanel::showInspection(const pretext::InspectionView& inspection) {
    m_inspection = inspection;
    render();
}

void MathPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        render();
    }
}

void MathPanel::render() {
    m_html = mathHtml(m_info, m_inspection);
    // Keep the reader's place while the numbers refresh.
    const int scroll = m_text->verticalScrollBar() ? m_text->verticalScrollBar()->value() : 0;
    m_text->setHtml(m_html);
    m_text->verticalScrollBar()->setValue(scroll);
}
