// SPDX-License-Identifier: Apache-2.0
// DropZone: a framed area that takes image files.
#include "dropzone.h"

#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QVBoxLayout>

namespace otalab::app {

QStringList droppedFiles(const QMimeData* mime)
{
    QStringList files;
    if (!mime || !mime->hasUrls())
        return files;
    for (const QUrl& url : mime->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files << url.toLocalFile();
    }
    return files;
}

DropZone::DropZone(const QString& text, QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("benchDropZone"));
    setAcceptDrops(true);
    setMinimumHeight(44);
    m_label = new QLabel(text, this);
    m_label->setAlignment(Qt::AlignCenter);
    m_label->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_label);
    setHot(false);
}

void DropZone::setText(const QString& text)
{
    m_label->setText(text);
}

void DropZone::setHot(bool hot)
{
    setStyleSheet(hot ? QStringLiteral("#benchDropZone { border: 2px dashed #2f6fd6; border-radius: 6px; background: #e8f0fc; }")
                      : QStringLiteral("#benchDropZone { border: 2px dashed #b0b0b0; border-radius: 6px; }"));
    m_label->setStyleSheet(hot ? QStringLiteral("color: #2f6fd6;") : QStringLiteral("color: palette(mid);"));
}

void DropZone::dragEnterEvent(QDragEnterEvent* event)
{
    if (droppedFiles(event->mimeData()).isEmpty())
        return;
    event->acceptProposedAction();
    setHot(true);
}

void DropZone::dragLeaveEvent(QDragLeaveEvent* event)
{
    setHot(false);
    QFrame::dragLeaveEvent(event);
}

void DropZone::dropEvent(QDropEvent* event)
{
    setHot(false);
    const QStringList files = droppedFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT filesDropped(files);
}

} // namespace otalab::app
