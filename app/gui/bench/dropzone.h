// SPDX-License-Identifier: Apache-2.0
// DropZone: a framed area that takes image files dragged from a file manager.
#pragma once

#include <QFrame>

class QLabel;
class QMimeData;

namespace otalab::app {

// Local files among the URLs of a drag (non-local URLs and folders are left out).
QStringList droppedFiles(const QMimeData* mime);

// Shows `text`; highlights while files hover; emits filesDropped with the local files.
class DropZone final : public QFrame {
    Q_OBJECT
public:
    explicit DropZone(const QString& text, QWidget* parent = nullptr);

    void setText(const QString& text);

Q_SIGNALS:
    void filesDropped(const QStringList& paths);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void setHot(bool hot);

    QLabel* m_label = nullptr;
};

} // namespace otalab::app
