// Every user-visible string goes through the translator: with a pseudo-translator
// installed (it wraps every text it is asked for in ⟦ ⟧), the window is built and every
// label, button, menu action, tab, dock title, combo entry, table header, plot axis and
// tooltip is read back; a text that is not wrapped never reached tr() (or, for the
// engine's task descriptions and the built-in presets, the translate calls their
// display goes through). Texts that are data (numbers, file and folder names) are told
// apart and left out, and so is the preview's note, which the engine core composes with
// its numbers in English.
#include "ImageGridView.h"
#include "MainWindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSet>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextDocument>
#include <QTranslator>
#include <QtTest>
#include <qcustomplot.h>

namespace {
const QString kOpen = QStringLiteral("⟦");
const QString kClose = QStringLiteral("⟧");

class PseudoTranslator : public QTranslator {
public:
    bool isEmpty() const override { return false; }
    QString translate(const char*, const char* source, const char*, int) const override {
        if (source == nullptr || *source == '\0') {
            return {};
        }
        return kOpen + QString::fromUtf8(source) + kClose;
    }
};

// Whether a shown text is data rather than words of the program: no letters at all
// (numbers, units like "64 px" after their number are caught by the wrapped suffix),
// or a path, or what the data panel reports about the files.
bool isData(const QString& text) {
    static const QRegularExpression letters(QStringLiteral("[A-Za-z]{2,}"));
    if (!text.contains(letters)) {
        return true;
    }
    // Paths, and the keywords typed as an image source ('fashion-mnist', 'demo'), the same
    // on the command line in every language.
    return text.startsWith(QLatin1Char('/')) ||
           text.contains(QStringLiteral("pretext-workbench-")) ||
           text == QLatin1String("fashion-mnist") || text == QLatin1String("demo");
}

struct Finder {
    QStringList misses;
    QSet<QString> seen;
    void check(const QString& where, const QString& raw) {
        // Rich text: the words as shown.
        QString text = raw;
        if (Qt::mightBeRichText(text)) {
            QTextDocument doc;
            doc.setHtml(text);
            text = doc.toPlainText();
        }
        text.remove(QLatin1Char('&'));
        text = text.trimmed();
        if (text.isEmpty() || text.contains(kOpen) || isData(text)) {
            return;
        }
        const QString line = where + QStringLiteral(": ") + text.left(80);
        if (!seen.contains(line)) {
            seen.insert(line);
            misses << line;
        }
    }
};

QString nameOf(const QObject* o) {
    QString name;
    for (; o != nullptr && name.isEmpty(); o = o->parent()) {
        name = o->objectName();
    }
    return name.isEmpty() ? QStringLiteral("?") : name;
}
} // namespace

class TestTranslation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void everyShownStringIsTranslated() {
        PseudoTranslator translator;
        QCoreApplication::installTranslator(&translator);
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        // The demo set loads and the preview is drawn.
        QTRY_VERIFY_WITH_TIMEOUT(!window.previewView()->grid().isEmpty(), 60000);
        Finder f;
        // Each task builds its own options: every one is looked at, once its preview (and
        // so its column titles) has been drawn.
        auto* tasks = window.findChild<QComboBox*>(QStringLiteral("taskCombo"));
        QVERIFY(tasks && tasks->count() >= 5);
        for (int t = 0; t < tasks->count(); ++t) {
            const QStringList before = window.previewView()->grid().columnTitles;
            const bool changes = tasks->currentIndex() != t;
            tasks->setCurrentIndex(t);
            if (changes) {
                QTRY_VERIFY_WITH_TIMEOUT(window.previewView()->grid().columnTitles != before,
                                         60000);
            }
            check(window, f);
        }
        QCoreApplication::removeTranslator(&translator);
        f.misses.sort();
        for (const QString& m : f.misses) {
            qWarning().noquote() << "not translated:" << m;
        }
        QVERIFY2(f.misses.isEmpty(),
                 qPrintable(QStringLiteral(
                                "%1 shown texts never went through the translator (listed above)")
                                .arg(f.misses.size())));
    }

private:
    static void check(MainWindow& window, Finder& f) {
        for (QWidget* w : window.findChildren<QWidget*>()) {
            const QString where =
                QString::fromLatin1(w->metaObject()->className()) + QLatin1Char('/') + nameOf(w);
            f.check(where + QStringLiteral(" tooltip"), w->toolTip());
            if (auto* label = qobject_cast<QLabel*>(w)) {
                // Left out: the note under the preview, composed with its numbers by the
                // engine core (plain C++, no translator): English only.
                if (label->objectName() != QLatin1String("previewNote")) {
                    f.check(where, label->text());
                }
            } else if (auto* button = qobject_cast<QAbstractButton*>(w)) {
                f.check(where, button->text());
            } else if (auto* box = qobject_cast<QGroupBox*>(w)) {
                f.check(where, box->title());
            } else if (auto* dock = qobject_cast<QDockWidget*>(w)) {
                f.check(where, dock->windowTitle());
            } else if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
                for (int i = 0; i < tabs->count(); ++i) {
                    f.check(where + QStringLiteral(" tab"), tabs->tabText(i));
                    f.check(where + QStringLiteral(" tab tooltip"), tabs->tabToolTip(i));
                }
            } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
                for (int i = 0; i < combo->count(); ++i) {
                    f.check(where + QStringLiteral(" item"), combo->itemText(i));
                    f.check(where + QStringLiteral(" item tooltip"),
                            combo->itemData(i, Qt::ToolTipRole).toString());
                }
            } else if (auto* table = qobject_cast<QTableWidget*>(w)) {
                for (int c = 0; c < table->columnCount(); ++c) {
                    if (QTableWidgetItem* h = table->horizontalHeaderItem(c)) {
                        f.check(where + QStringLiteral(" header"), h->text());
                        f.check(where + QStringLiteral(" header tooltip"), h->toolTip());
                    }
                }
            } else if (auto* plot = qobject_cast<QCustomPlot*>(w)) {
                for (QCPAxis* axis : plot->axisRect()->axes()) {
                    f.check(where + QStringLiteral(" axis"), axis->label());
                }
            }
        }
        for (QAction* a : window.findChildren<QAction*>()) {
            const QString where = QStringLiteral("action/") + nameOf(a);
            if (!a->isSeparator()) {
                f.check(where, a->text());
                f.check(where + QStringLiteral(" status tip"), a->statusTip());
                if (a->toolTip() != a->text().remove(QLatin1Char('&'))) {
                    f.check(where + QStringLiteral(" tooltip"), a->toolTip());
                }
            }
        }
    }
};

QTEST_MAIN(TestTranslation)
#include "test_translation.moc"
