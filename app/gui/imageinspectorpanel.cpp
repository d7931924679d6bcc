// SPDX-License-Identifier: Apache-2.0
// The Image Inspector panel: look inside a Zigbee OTA file or MCUboot image.
#include "imageinspectorpanel.h"

#include "findingsmodel.h"
#include "guistyle.h"
#include "hexview.h"
#include "imageinspectorcontroller.h"
#include "inspectionsummaryview.h"
#include "inspectiontreemodel.h"

#include <QAction>
#include <QDataStream>
#include <QDragEnterEvent>
#include <QDockWidget>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QIODevice>
#include <QLabel>
#include <QMimeData>
#include <QShowEvent>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace otalab::app {
namespace {

constexpr quint32 StateMagic = 0x4f4c4931;  // "OLI1": bump when the layout changes

QString imageFilter()
{
    return QObject::tr("Firmware images (*.ota *.zigbee *.bin *.img *.signed);;All files (*)");
}

QString keyFilter()
{
    return QObject::tr("PEM keys (*.pem *.key *.pub);;All files (*)");
}

} // namespace

ImageInspectorPanel::ImageInspectorPanel(QWidget* parent)
    : QWidget(parent),
      m_controller(new ImageInspectorController(this)),
      m_treeModel(new InspectionTreeModel(this)),
      m_findingsModel(new FindingsModel(this))
{
    setAcceptDrops(true);
    buildActions();

    m_toolBar = new QToolBar(tr("Image Inspector"), this);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addAction(m_openAction);
    m_toolBar->addAction(m_reloadAction);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_keysAction);
    m_toolBar->addAction(m_decryptionKeyAction);
    m_toolBar->addAction(m_clearKeysAction);

    auto* placeholder = new QWidget(this);
    auto* hint = new QLabel(tr("Drop a Zigbee OTA file or an MCUboot image here,\nor choose Open image… (Ctrl+O)."), placeholder);
    hint->setAlignment(Qt::AlignCenter);
    hint->setForegroundRole(QPalette::PlaceholderText);
    QFont hintFont = hint->font();
    hintFont.setPointSizeF(hintFont.pointSizeF() * 1.2);
    hint->setFont(hintFont);
    m_placeholderError = new QLabel(placeholder);
    m_placeholderError->setAlignment(Qt::AlignCenter);
    m_placeholderError->setWordWrap(true);
    m_placeholderError->setStyleSheet(QStringLiteral("color: %1;").arg(errorColor().name()));
    auto* placeholderLayout = new QVBoxLayout(placeholder);
    placeholderLayout->addStretch(1);
    placeholderLayout->addWidget(hint);
    placeholderLayout->addWidget(m_placeholderError);
    placeholderLayout->addStretch(1);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(placeholder);
    m_stack->addWidget(buildContent());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_toolBar);
    layout->addWidget(m_stack, 1);

    connect(m_controller, &ImageInspectorController::inspectionChanged, this, &ImageInspectorPanel::showInspection);
    connect(m_controller, &ImageInspectorController::loadFailed, this, &ImageInspectorPanel::showLoadError);
    connect(m_controller, &ImageInspectorController::fileOpened, this, &ImageInspectorPanel::bringForward);
    connect(m_controller, &ImageInspectorController::keysChanged, this, [this] {
        m_clearKeysAction->setEnabled(!m_controller->verificationKeyPaths().isEmpty() || !m_controller->decryptionKeyPath().isEmpty());
    });
}

void ImageInspectorPanel::buildActions()
{
    m_openAction = new QAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open image…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a Zigbee OTA file or an MCUboot image (Ctrl+O)"));
    connect(m_openAction, &QAction::triggered, this, &ImageInspectorPanel::chooseImage);

    m_reloadAction = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Reload"), this);
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    m_reloadAction->setToolTip(tr("Read and inspect the file again (F5)"));
    m_reloadAction->setEnabled(false);
    connect(m_reloadAction, &QAction::triggered, m_controller, &ImageInspectorController::reload);

    m_keysAction = new QAction(style()->standardIcon(QStyle::SP_DialogApplyButton), tr("Verification keys…"), this);
    m_keysAction->setToolTip(tr("Choose one or more PEM public keys to check signatures against. They stay loaded for the next files; each file is checked only with the keys that fit it (its signature kind and key hash)"));
    connect(m_keysAction, &QAction::triggered, this, &ImageInspectorPanel::chooseVerificationKeys);

    m_decryptionKeyAction = new QAction(style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Decryption key…"), this);
    m_decryptionKeyAction->setToolTip(tr("Choose the key that decrypts encrypted images: a PEM private key or a raw AES-KW key"));
    connect(m_decryptionKeyAction, &QAction::triggered, this, &ImageInspectorPanel::chooseDecryptionKey);

    m_clearKeysAction = new QAction(style()->standardIcon(QStyle::SP_DialogResetButton), tr("Forget keys"), this);
    m_clearKeysAction->setToolTip(tr("Inspect without verification or decryption keys"));
    m_clearKeysAction->setEnabled(false);
    connect(m_clearKeysAction, &QAction::triggered, m_controller, &ImageInspectorController::clearKeys);
}

QWidget* ImageInspectorPanel::buildContent()
{
    auto* content = new QWidget(this);
    m_summary = new InspectionSummaryView(content);

    m_tree = new QTreeView(content);
    m_tree->setModel(m_treeModel);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(InspectionTreeModel::ValueColumn, QHeaderView::Stretch);
    m_tree->header()->setMinimumSectionSize(48);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { showNodeBytes(current); });

    m_hex = new HexView(content);
    connect(m_hex, &HexView::offsetClicked, this, [this](qint64 offset) {
        const QModelIndex node = m_treeModel->indexAtOffset(offset);
        if (node.isValid()) {
            m_tree->setCurrentIndex(node);
            m_tree->scrollTo(node);
        }
    });

    m_horizontal = new QSplitter(Qt::Horizontal, content);
    m_horizontal->addWidget(m_tree);
    m_horizontal->addWidget(m_hex);
    // The dump has a natural width; the tree takes the rest.
    m_horizontal->setStretchFactor(0, 1);
    m_horizontal->setStretchFactor(1, 0);
    m_horizontal->setChildrenCollapsible(false);

    auto* findingsBox = new QWidget(content);
    m_findingsTitle = new QLabel(tr("Findings"), findingsBox);
    QFont titleFont = m_findingsTitle->font();
    titleFont.setWeight(QFont::DemiBold);
    m_findingsTitle->setFont(titleFont);
    m_findings = new QTreeView(findingsBox);
    m_findings->setModel(m_findingsModel);
    m_findings->setRootIsDecorated(false);
    m_findings->setUniformRowHeights(true);
    m_findings->setAlternatingRowColors(true);
    m_findings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findings->header()->setStretchLastSection(true);
    m_findings->header()->setSectionResizeMode(FindingsModel::SeverityColumn, QHeaderView::ResizeToContents);
    m_findings->header()->setSectionResizeMode(FindingsModel::OffsetColumn, QHeaderView::ResizeToContents);
    connect(m_findings->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { selectFinding(current.row()); });
    connect(m_findings, &QAbstractItemView::clicked, this, [this](const QModelIndex& index) { selectFinding(index.row()); });
    auto* findingsLayout = new QVBoxLayout(findingsBox);
    findingsLayout->setContentsMargins(0, 4, 0, 0);
    findingsLayout->setSpacing(2);
    findingsLayout->addWidget(m_findingsTitle);
    findingsLayout->addWidget(m_findings, 1);

    m_vertical = new QSplitter(Qt::Vertical, content);
    m_vertical->addWidget(m_horizontal);
    m_vertical->addWidget(findingsBox);
    m_vertical->setStretchFactor(0, 3);
    m_vertical->setStretchFactor(1, 1);
    m_vertical->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(6, 0, 6, 6);
    layout->addWidget(m_summary);
    layout->addWidget(m_vertical, 1);
    return content;
}

void ImageInspectorPanel::showInspection()
{
    const auto inspection = m_controller->inspection();
    m_placeholderError->clear();
    m_reloadAction->setEnabled(!m_controller->filePath().isEmpty());
    m_summary->setInspection(m_controller->filePath(), *inspection, keysNote());
    m_hex->setData(inspection->bytes);
    m_treeModel->setInspection(inspection);
    m_findingsModel->setInspection(inspection);
    m_tree->expandToDepth(1);
    m_tree->resizeColumnToContents(InspectionTreeModel::FieldColumn);
    m_tree->resizeColumnToContents(InspectionTreeModel::OffsetColumn);
    m_tree->resizeColumnToContents(InspectionTreeModel::SizeColumn);
    m_tree->setColumnWidth(InspectionTreeModel::FieldColumn, std::max(m_tree->columnWidth(InspectionTreeModel::FieldColumn) + 12, 180));
    m_findings->resizeColumnToContents(FindingsModel::FieldColumn);
    m_stack->setCurrentIndex(1);

    using core::image::Severity;
    m_findingsTitle->setText(inspection->findings.empty()
                                 ? tr("Findings: none")
                                 : tr("Findings: %1 error(s), %2 warning(s), %3 note(s)")
                                       .arg(FindingsModel::count(*inspection, Severity::Error))
                                       .arg(FindingsModel::count(*inspection, Severity::Warning))
                                       .arg(FindingsModel::count(*inspection, Severity::Info)));

    // Point at the first error straight away: it is what the user came for.
    // Otherwise start on the first structure (the header), not the whole file.
    if (inspection->firstError()) {
        selectFinding(0);
    } else {
        const QModelIndex root = m_treeModel->index(0, 0);
        const QModelIndex first = m_treeModel->index(0, 0, root);
        m_tree->setCurrentIndex(first.isValid() ? first : root);
    }

    Q_EMIT statusMessage(tr("%1: %2").arg(m_controller->fileName(), InspectionSummaryView::verdictLine(*inspection)));
}

void ImageInspectorPanel::bringForward()
{
    QWidget* child = this;
    for (QWidget* w = parentWidget(); w; child = w, w = w->parentWidget()) {
        if (auto* dock = qobject_cast<QDockWidget*>(w)) {
            dock->show();
            dock->raise();  // a tabified dock: its tab becomes the current one
        } else if (auto* stack = qobject_cast<QStackedWidget*>(w)) {
            if (stack->indexOf(child) >= 0)
                stack->setCurrentWidget(child);  // also QTabWidget's pages
        }
        if (w->isWindow())
            break;
    }
}

void ImageInspectorPanel::showLoadError(const QString& message)
{
    if (m_controller->hasFile())
        m_summary->setLoadError(message);
    else
        m_placeholderError->setText(message);
    Q_EMIT statusMessage(message);
}

void ImageInspectorPanel::showNodeBytes(const QModelIndex& index)
{
    const core::image::Node* node = m_treeModel->node(index);
    if (node && node->offset >= 0 && node->size > 0)
        m_hex->setHighlight(node->offset, node->size,
                            index.data(InspectionTreeModel::NodeProblemRole).toBool() ? HexView::Highlight::Problem : HexView::Highlight::Selection);
    else
        m_hex->clearHighlight();
}

void ImageInspectorPanel::selectFinding(int row)
{
    const core::image::Finding* finding = m_findingsModel->finding(row);
    if (!finding)
        return;
    if (m_findings->currentIndex().row() != row) {
        // Re-enters this function through currentChanged with the row now current.
        m_findings->setCurrentIndex(m_findingsModel->index(row, 0));
        return;
    }
    const QModelIndex node = m_treeModel->indexForFinding(*finding);
    if (node.isValid()) {
        m_tree->setCurrentIndex(node);  // shows its bytes through currentChanged
        m_tree->scrollTo(node);
        // A finding may point at one byte inside a larger node: show that byte's row.
        if (finding->offset >= 0)
            m_hex->scrollToOffset(finding->offset);
    } else {
        m_tree->selectionModel()->clearCurrentIndex();
        m_tree->clearSelection();
        m_hex->setHighlight(finding->offset, 1, HexView::Highlight::Problem);
    }
}

QString ImageInspectorPanel::keysNote() const
{
    // Says what the keys did for this file, never more: an unsigned file was verified
    // with nothing, and a loaded key that does not fit the file was not used.
    using core::image::CheckState;
    const auto inspection = m_controller->inspection();
    QStringList used;
    int unused = 0;
    for (const auto& use : m_controller->keyUses()) {
        if (use.used)
            used.append(QFileInfo(use.path).fileName());
        else
            ++unused;
    }
    const QString usedNames = used.join(QStringLiteral(", "));
    const CheckState signature = inspection ? inspection->signature.state : CheckState::Absent;
    QString note;
    if (used.isEmpty() && unused == 0)
        note = tr("no verification key");
    else if (signature == CheckState::Absent)
        note = tr("unsigned: no key used");
    else if (used.isEmpty())
        note = tr("none of the %n loaded key(s) fits this file", nullptr, unused);
    else if (signature == CheckState::Valid)
        note = tr("signature verified with %1").arg(usedNames);
    else
        note = tr("checked with %1").arg(usedNames);
    if (!used.isEmpty() && unused > 0 && signature != CheckState::Absent)
        note += tr(" (%n other loaded key(s) do not fit this file)", nullptr, unused);
    if (!m_controller->decryptionKeyPath().isEmpty() && inspection && inspection->encryption.state != CheckState::Absent)
        note += tr(", decryption key %1").arg(QFileInfo(m_controller->decryptionKeyPath()).fileName());
    return note;
}

void ImageInspectorPanel::chooseImage()
{
    const QString dir = m_controller->filePath().isEmpty() ? QString() : QFileInfo(m_controller->filePath()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open image"), dir, imageFilter());
    if (!path.isEmpty())
        m_controller->open(path);
}

void ImageInspectorPanel::chooseVerificationKeys()
{
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Verification keys"), {}, keyFilter());
    if (!paths.isEmpty())
        m_controller->setVerificationKeys(paths);
}

void ImageInspectorPanel::chooseDecryptionKey()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Decryption key"), {}, tr("PEM private keys or raw AES-KW keys (*.pem *.key *.bin);;All files (*)"));
    if (!path.isEmpty())
        m_controller->setDecryptionKey(path);
}

void ImageInspectorPanel::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void ImageInspectorPanel::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    m_controller->open(urls.first().toLocalFile());
}

void ImageInspectorPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_layoutSet)
        return;
    m_layoutSet = true;
    // The window's layouts settle after the show event: size the splitters then.
    QTimer::singleShot(0, this, &ImageInspectorPanel::applyDefaultLayout);
}

void ImageInspectorPanel::applyDefaultLayout()
{
    // The dump gets its natural width but the tree, which carries the values, keeps
    // at least 45 %; the findings list gets about six rows.
    const int total = m_horizontal->width();
    const int hexWidth = std::min(m_hex->sizeHint().width(), total * 55 / 100);
    m_horizontal->setSizes({total - hexWidth, hexWidth});
    const int tall = m_vertical->height();
    const int findingsHeight = std::min(7 * m_findings->fontMetrics().height() + 40, tall / 3);
    m_vertical->setSizes({tall - findingsHeight, findingsHeight});
}

QByteArray ImageInspectorPanel::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << StateMagic << m_vertical->saveState() << m_horizontal->saveState() << m_findings->header()->saveState();
    return state;
}

bool ImageInspectorPanel::restoreState(const QByteArray& state)
{
    QDataStream in(state);
    quint32 magic = 0;
    QByteArray vertical, horizontal, findings;
    in >> magic >> vertical >> horizontal >> findings;
    if (in.status() != QDataStream::Ok || magic != StateMagic)
        return false;
    m_layoutSet = m_vertical->restoreState(vertical) && m_horizontal->restoreState(horizontal)
                  && m_findings->header()->restoreState(findings);
    return m_layoutSet;
}

} // namespace otalab::app
