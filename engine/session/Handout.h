#pragma once
// A printable handout of generated pretext samples: a title, what the task is and its
// loss, the samples in titled columns (their captions drawn on them), on a white A4
// page, as PDF (vector text) or PNG (150 dpi).
#include "Params.h"
#include "SessionTypes.h"

#include <QString>
#include <QStringList>

class QPainter;
class QRectF;

namespace pretext {

struct HandoutText {
    QString title;     // "Jigsaw puzzles"
    QStringList lines; // what the task is, its loss, the settings used
    QString footer;    // seed, date, program version
};

// The text for a task's samples: its title, its loss, the options that apply (choices
// by name), the preview's note, and the seed in the footer.
HandoutText handoutText(const TaskInfo& info, const QVariantMap& params, quint64 seed,
                        const QString& note);

// Lays the handout out in `page` (device units of the painter).
void paintHandout(QPainter& painter, const QRectF& page, const ImageGrid& grid,
                  const HandoutText& text);
// Writes a PDF when the path ends in .pdf, else a PNG; false with *error naming the file.
bool writeHandout(const ImageGrid& grid, const HandoutText& text, const QString& path,
                  QString* error);

} // namespace pretext
