// SPDX-License-Identifier: Apache-2.0
#include "inspector/deviceinspectorpanel.h"

#include "inspector/blockbar.h"
#include "inspector/fieldgrid.h"
#include "inspector/piecebar.h"
#include "inspector/statemachinediagram.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QTextCursor>
#include "lab/labselection.h"
#include "lab/labsession.h"
#include "sim/report/fleetsummary.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace otalab::app {

namespace {

constexpr int kRefreshMs = 33;

QLabel* sectionHeader(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    label->setContentsMargins(0, 8, 0, 2);
    return label;
}

QString transitionTime(double timeS)
{
    return QStringLiteral("%1 s").arg(QLocale().toString(timeS, 'f', 3));
}

} // namespace

DeviceInspectorPanel::DeviceInspectorPanel(LabSession& session, LabSelection& selection, QWidget* parent)
    : QWidget(parent), m_session(session), m_selection(selection)
{
    m_stack = new QStackedWidget(this);
    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);
    m_placeholder->setMargin(16);
    m_stack->addWidget(m_placeholder);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildDetails());
    m_stack->addWidget(scroll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    m_refresh->setInterval(kRefreshMs);
    connect(m_refresh, &QTimer::timeout, this, &DeviceInspectorPanel::applyLatestSnapshot);
    connect(&m_session, &LabSession::topologyChanged, this, &DeviceInspectorPanel::onTopologyChanged);
    connect(&m_session, &LabSession::snapshotPublished, this, [this] {
        if (!m_refresh->isActive())
            m_refresh->start();
    });
    connect(&m_selection, &LabSelection::selectionChanged, this, &DeviceInspectorPanel::onSelectionChanged);
    connect(&m_selection, &LabSelection::focusTimeChanged, this, [this] {
        m_controller.setFocusTime(m_selection.focusTimeS());
        refresh();
    });

    onTopologyChanged();
}

DeviceInspectorPanel::~DeviceInspectorPanel() = default;

QWidget* DeviceInspectorPanel::buildDetails()
{
    auto* page = new QWidget(this);
    auto* v = new QVBoxLayout(page);
    v->setContentsMargins(10, 8, 10, 8);
    v->setSpacing(2);
    m_title = new QLabel(page);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note = new QLabel(page);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_identity = new FieldGrid(page);
    m_attributes = new FieldGrid(page);
    m_progress = new FieldGrid(page);
    m_blockBar = new BlockBar(page);
    m_pieceBar = new PieceBar(page);
    m_pieceBar->hide();
    m_diagram = new StateMachineDiagram(page);
    m_focus = new QLabel(page);
    m_transitions = new QTreeWidget(page);
    m_transitions->setColumnCount(2);
    m_transitions->setHeaderLabels({tr("Virtual time"), tr("Transition")});
    m_transitions->setRootIsDecorated(false);
    m_transitions->setUniformRowHeights(true);
    m_transitions->setSelectionMode(QAbstractItemView::NoSelection);
    m_transitions->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_transitions->setMinimumHeight(70);
    m_failure = new QLabel(page);
    m_failure->setWordWrap(true);
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setStyleSheet(QStringLiteral("QLabel{background:#fdecea;color:#611a15;border:1px solid #f5c2c0;border-radius:4px;padding:6px}"));
    m_machine = new QComboBox(page);
    m_machine->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_machine, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    m_recent = new QPlainTextEdit(page);
    m_recent->setReadOnly(true);
    m_recent->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_recent->setMinimumHeight(40);
    m_recent->setMaximumHeight(170);
    m_recent->setPlaceholderText(tr("Nothing recorded for this device yet."));

    const int labelWidth = fontMetrics().horizontalAdvance(QStringLiteral("0x0006 ImageUpgradeStatus")) + 8;
    for (FieldGrid* grid : {m_identity, m_attributes, m_progress})
        grid->setLabelWidth(labelWidth);

    v->addWidget(m_title);
    v->addWidget(m_note);
    v->addWidget(m_failure);
    // The state machine first (what a user looks at), then the figures, then the history.
    m_machineSection = new QWidget(page);
    auto* machine = new QVBoxLayout(m_machineSection);
    machine->setContentsMargins(0, 0, 0, 0);
    machine->setSpacing(2);
    machine->addWidget(sectionHeader(tr("State machine"), m_machineSection));
    machine->addWidget(m_machine);
    machine->addWidget(m_diagram);
    machine->addWidget(m_focus);
    v->addWidget(m_machineSection);
    v->addWidget(sectionHeader(tr("Identity"), page));
    v->addWidget(m_identity);
    m_attributesHeader = sectionHeader(tr("Device attributes"), page);
    v->addWidget(m_attributesHeader);
    v->addWidget(m_attributes);
    m_progressHeader = sectionHeader(tr("Download and energy"), page);
    v->addWidget(m_progressHeader);
    v->addWidget(m_blockBar);
    v->addWidget(m_pieceBar);
    v->addWidget(m_progress);
    m_historySection = new QWidget(page);
    auto* history = new QVBoxLayout(m_historySection);
    history->setContentsMargins(0, 0, 0, 0);
    history->setSpacing(2);
    history->addWidget(sectionHeader(tr("Transitions taken"), m_historySection));
    history->addWidget(m_transitions, 1);
    history->addWidget(sectionHeader(tr("Last frames and state changes of this device"), m_historySection));
    history->addWidget(m_recent);
    v->addWidget(m_historySection, 1);
    v->addStretch(0);
    return page;
}

void DeviceInspectorPanel::onTopologyChanged()
{
    m_refresh->stop();
    int blockBytes = DeviceInspectorController::kDefaultBlockBytes;
    QHash<QString, int> perDevice;
    if (m_session.config()) {
        if (const sim::RolloutConfig* config = m_session.config()->singleZigbee()) {
            const int server = config->server.maxBlockDataSize;
            blockBytes = std::min<int>(config->client.maxDataSize, server);
            for (const auto& o : config->clientOverrides)
                if (o.maxDataSize)
                    perDevice.insert(QStringLiteral("0x%1").arg(o.device, 4, 16, QLatin1Char('0')), std::min<int>(*o.maxDataSize, server));
        } else {
            blockBytes = 1024;  // other families: show the download in KiB steps
        }
    }
    m_controller.setTopology(m_session.topology());
    m_controller.setBlockBytes(blockBytes, std::move(perDevice));
    m_controller.setHistory(&m_session.history());
    m_controller.setSnapshot(m_session.latest());
    m_snapshotPending = false;
    m_controller.setFocusTime(m_selection.focusTimeS());
    m_controller.setNode(m_selection.current(), m_selection.nodes().size());
    m_listedNode = sim::kNoNode;
    refresh();
}

void DeviceInspectorPanel::onSelectionChanged()
{
    // Snapshots are skipped while nothing is selected: take the latest one now.
    if (m_snapshotPending || m_refresh->isActive()) {
        m_refresh->stop();
        m_snapshotPending = false;
        m_controller.setSnapshot(m_session.latest());
    }
    m_controller.setNode(m_selection.current(), m_selection.nodes().size());
    m_session.watchNode(m_selection.current());
    refresh();
}

void DeviceInspectorPanel::applyLatestSnapshot()
{
    if (m_selection.current() == sim::kNoNode) {
        m_snapshotPending = true;  // nothing shown depends on it: copy it once something is selected
        return;
    }
    m_snapshotPending = false;
    m_controller.setSnapshot(m_session.latest());
    refresh();
}

bool DeviceInspectorPanel::showsPlaceholder() const { return m_stack->currentIndex() == 0; }
QString DeviceInspectorPanel::placeholderText() const { return m_placeholder->text(); }
QString DeviceInspectorPanel::titleText() const { return m_title->text(); }

void DeviceInspectorPanel::refresh()
{
    const DeviceInspectorModel& m = m_controller.model();
    if (!m.hasNode) {
        m_placeholder->setText(m.placeholder);
        m_stack->setCurrentIndex(0);
        m_listedNode = sim::kNoNode;
        return;
    }
    m_stack->setCurrentIndex(1);
    m_title->setText(m.title);
    m_note->setText(m.selectionNote);
    m_note->setVisible(!m.selectionNote.isEmpty());
    m_identity->setFields(m.identity);
    m_attributes->setFields(m.attributes);
    m_progress->setFields(m.progress);
    m_progressHeader->setVisible(!m.progress.empty());
    m_progress->setVisible(!m.progress.empty());
    m_blockBar->setBlocks(m.blocksReceived, m.blocksTotal, m.state);
    m_pieceBar->setPieces(m.pieces);
    m_blockBar->setVisible(m.hasClient && m.pieces.empty());
    m_pieceBar->setVisible(m.hasClient && !m.pieces.empty());
    m_machineSection->setVisible(m.showsMachines);
    m_historySection->setVisible(m.showsMachines);
    m_attributesHeader->setText(m.attributesTitle);
    if (!m.failureReason.isEmpty() || m.failedAtS) {
        m_failure->setText(tr("<b>%1%2</b><br>%3")
                               .arg(labNodeStateName(m.state).toHtmlEscaped(),
                                    m.failedAtS ? tr(" at t = %1").arg(sim::formatDuration(*m.failedAtS)) : QString(),
                                    (m.failureReason.isEmpty() ? tr("no reason recorded") : m.failureReason).toHtmlEscaped()));
        m_failure->show();
    } else {
        m_failure->hide();
    }
    // Machine chooser: the campaign phase first, then the family's machines.
    QStringList names;
    for (const auto& machine : m.machines)
        names << machine.name;
    QStringList shown;
    for (int i = 0; i < m_machine->count(); ++i)
        shown << m_machine->itemText(i);
    if (shown != names) {
        const QSignalBlocker block(m_machine);
        const QString keep = m_machine->currentText();
        m_machine->clear();
        m_machine->addItems(names);
        m_machine->setCurrentIndex(std::max(0, int(names.indexOf(keep))));
    }
    m_machine->setVisible(names.size() > 1);
    const std::size_t which = std::min<std::size_t>(std::size_t(std::max(0, m_machine->currentIndex())), m.machines.empty() ? 0 : m.machines.size() - 1);
    if (!m.machines.empty() && m_diagram->machine().name != m.machines[which].name)
        m_diagram->setMachine(m.machines[which]);
    std::vector<StateMachineDiagram::Edge> taken;
    if (which == 0 && m.campaignFirst) {
        for (const InspectorTransition& t : m.transitions) {
            const StateMachineDiagram::Edge e{t.from == LabNodeState::Idle ? -1 : int(t.from), int(t.to)};
            if (std::find(taken.begin(), taken.end(), e) == taken.end())
                taken.push_back(e);
        }
        m_diagram->setFocusState(m.focusState ? std::optional<int>(int(*m.focusState)) : std::nullopt);
    } else if (which < m.machineTaken.size()) {
        taken = m.machineTaken[which];
        m_diagram->setFocusState(std::nullopt);
    }
    m_diagram->setState(which < m.machineState.size() ? m.machineState[which] : -1, m.showsMachines);
    m_diagram->setTakenEdges(std::move(taken));
    QString recent;
    for (const QString& line : m.recent)
        recent += line + QLatin1Char('\n');
    if (m_recent->toPlainText() != recent.trimmed()) {
        m_recent->setPlainText(recent.trimmed());
        m_recent->moveCursor(QTextCursor::End);
    }
    if (m.focusTimeS) {
        m_focus->setText(m.focusState ? tr("At t = %1 (timeline focus, dashed frame): %2")
                                            .arg(sim::formatDuration(*m.focusTimeS), labNodeStateName(*m.focusState))
                                      : tr("At t = %1 (timeline focus): no history recorded")
                                            .arg(sim::formatDuration(*m.focusTimeS)));
        m_focus->show();
    } else {
        m_focus->hide();
    }
    fillTransitions(m);
}

void DeviceInspectorPanel::fillTransitions(const DeviceInspectorModel& m)
{
    if (m_listedNode == m.node && m_listedCount == m.transitions.size())
        return;
    m_listedNode = m.node;
    m_listedCount = m.transitions.size();
    m_transitions->clear();
    QList<QTreeWidgetItem*> items;
    items.reserve(qsizetype(m.transitions.size()));
    for (const InspectorTransition& t : m.transitions) {
        const QString from = items.isEmpty() && t.from == LabNodeState::Idle ? tr("start") : labNodeStateName(t.from);
        auto* item = new QTreeWidgetItem({transitionTime(t.timeS), QStringLiteral("%1 \u2192 %2").arg(from, labNodeStateName(t.to))});
        item->setToolTip(0, sim::formatDuration(t.timeS));
        item->setForeground(1, labNodeStateColor(t.to).darker(140));
        items.push_back(item);
    }
    m_transitions->addTopLevelItems(items);
    if (!items.isEmpty())
        m_transitions->scrollToItem(items.back());
}

} // namespace otalab::app
