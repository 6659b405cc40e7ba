#pragma once
// The embedding map drawn: one dot per image, coloured by class (or by an image
// statistic when unlabelled), zoomed and dragged with the mouse; hovering a dot names
// it and shows its image beside it (hovered), clicking selects it (selected) and rings it and its
// neighbours. A new map of the same images glides from the old positions to the new ones, so that
// what a checkpoint changed can be seen moving.
#include "EmbedRun.h"

#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemPixmap;
class QCPItemText;
class QVariantAnimation;

class EmbeddingMap : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingMap(QWidget* parent = nullptr);
    // Shows `map`; animated from the current one when both hold the same images.
    void setMap(const pretext::EmbedMap& map);
    void clear();
    // Rings image `index` (-1: none) and, fainter, `neighbours`.
    void setSelection(int index, const QVector<int>& neighbours = {});
    int selectedImage() const { return m_selected; }
    // The image nearest to `pixel` in the plot's coordinates, within a few pixels; -1.
    int imageAt(const QPointF& pixel) const;
    // Where image `index` is drawn, in the plot's pixel coordinates (for tests).
    QPointF pixelOf(int index) const;
    // "file name\nclass" (or the statistic's value) of image `index`.
    QString caption(int index) const;
    QCustomPlot* plot() const { return m_plot; }
    bool animating() const;

Q_SIGNALS:
    void hovered(int index); // -1 when the mouse leaves the dots
    void imageClicked(int index);

protected:
    void changeEvent(QEvent* event) override;

private:
    void draw(const QVector<QPointF>& points);
    void drawSelection();
    // The hovered image and its caption beside its dot; hidden for -1.
    void showCard(int index);

    QCustomPlot* m_plot = nullptr;
    QVariantAnimation* m_motion = nullptr;
    pretext::EmbedMap m_map;
    QVector<QPointF> m_from, m_shown;
    QVector<QCPGraph*> m_groups; // one graph per class, or per band of values
    QVector<int> m_groupOf;      // each image's group
    QCPGraph* m_ring = nullptr;
    QCPGraph* m_neighbourRing = nullptr;
    int m_selected = -1;
    QVector<int> m_neighbours;
    int m_hovered = -1;
    QCPItemPixmap* m_card = nullptr;
    QCPItemText* m_cardText = nullptr;
};
