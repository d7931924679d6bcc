// SPDX-License-Identifier: Apache-2.0
// JobsPage: the Bench's Jobs (MQTT) page (see the header).
#include "jobspage.h"

#include "jobscontroller.h"
#include "jobscreatedialog.h"

#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace otalab::app {
namespace {

const QString UrlKey = QStringLiteral("bench/jobs/brokerUrl");
const QString CaKey = QStringLiteral("bench/jobs/caFile");
const QString CertKey = QStringLiteral("bench/jobs/certFile");
const QString KeyKey = QStringLiteral("bench/jobs/keyFile");

QSettings settings()
{
    return QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
}

QTableWidget* makeTable(QWidget* parent, const QString& objectName, const QStringList& headers)
{
    auto* table = new QTableWidget(0, int(headers.size()), parent);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    return table;
}

void setCell(QTableWidget* table, int row, int column, const QString& text, const QString& tip = {})
{
    QTableWidgetItem* item = table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        table->setItem(row, column, item);
    }
    if (item->text() != text)
        item->setText(text);
    item->setToolTip(tip.isEmpty() ? text : tip);
}

QColor stateColor(const QString& status)
{
    if (status == QLatin1String("SUCCEEDED") || status == QLatin1String("COMPLETED"))
        return QColor(0x2e, 0x7d, 0x32);
    if (status == QLatin1String("FAILED") || status == QLatin1String("REJECTED") || status == QLatin1String("TIMED_OUT"))
        return QColor(0xc6, 0x28, 0x28);
    if (status == QLatin1String("CANCELED") || status == QLatin1String("REMOVED"))
        return QColor(0x8d, 0x6e, 0x63);
    if (status == QLatin1String("IN_PROGRESS"))
        return QColor(0x15, 0x65, 0xc0);
    return {};
}

void colorCell(QTableWidget* table, int row, int column, const QString& status)
{
    if (QTableWidgetItem* item = table->item(row, column)) {
        const QColor c = stateColor(status);
        item->setForeground(c.isValid() ? QBrush(c) : QBrush());
    }
}

QString clockText(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss")) : QString();
}

QString detailsText(const QJsonObject& details)
{
    if (details.isEmpty())
        return {};
    return QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact));
}

} // namespace

JobsPage::JobsPage(QWidget* parent, JobsController* controller) : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("benchJobsPage"));
    if (!m_controller)
        m_controller = new JobsController(this);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setChildrenCollapsible(false);
    split->addWidget(buildBroker());
    split->addWidget(buildJobs());
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({380, 1000});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_controller, &JobsController::connectionChanged, this, &JobsPage::onConnectionChanged);
    connect(m_controller, &JobsController::jobsChanged, this, &JobsPage::scheduleRefresh);
    connect(m_controller, &JobsController::devicesChanged, this, &JobsPage::scheduleRefresh);
    // A state change is shown at once (a short IN_PROGRESS is not skipped); progress is coalesced.
    connect(m_controller, &JobsController::executionChanged, this, [this](const QString& jobId) {
        if (jobId == selectedJob())
            refresh();
    });
    connect(m_controller, &JobsController::message, this, [this](const QString& line) {
        m_log->appendPlainText(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz  ")) + line);
    });
    onConnectionChanged(false, tr("not connected"));
    refresh();
}

QWidget* JobsPage::buildBroker()
{
    auto* left = new QWidget(this);
    left->setMinimumWidth(330);
    QSettings s = settings();

    auto* broker = new QGroupBox(tr("Broker"), left);
    m_url = new QLineEdit(s.value(UrlKey, QStringLiteral("mqtt://127.0.0.1:1883")).toString(), broker);
    m_url->setObjectName(QStringLiteral("jobsBrokerUrl"));
    m_url->setToolTip(tr("mqtt://host[:port] (plain, 1883) or mqtts://host[:port] (TLS, 8883)"));
    auto fileEdit = [&](QLineEdit*& edit, const QString& name, const QString& key, const QString& title) {
        auto* row = new QWidget(broker);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        edit = new QLineEdit(s.value(key).toString(), row);
        edit->setObjectName(name);
        edit->setPlaceholderText(tr("none"));
        edit->setClearButtonEnabled(true);
        auto* browse = new QPushButton(tr("…"), row);
        browse->setToolTip(title);
        browse->setFixedWidth(browse->fontMetrics().horizontalAdvance(QStringLiteral("....")) + 16);
        QLineEdit* target = edit;
        connect(browse, &QPushButton::clicked, this, [this, target, title] {
            const QString path = QFileDialog::getOpenFileName(this, title, target->text(),
                                                              tr("PEM files (*.pem *.crt *.key);;All files (*)"));
            if (!path.isEmpty())
                target->setText(path);
        });
        h->addWidget(edit, 1);
        h->addWidget(browse);
        return row;
    };
    auto* form = new QFormLayout;
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("TLS CA:"), fileEdit(m_caFile, QStringLiteral("jobsBrokerCa"), CaKey, tr("CA that signed the broker's certificate")));
    form->addRow(tr("Client cert:"), fileEdit(m_certFile, QStringLiteral("jobsBrokerCert"), CertKey, tr("Client certificate (PEM)")));
    form->addRow(tr("Client key:"), fileEdit(m_keyFile, QStringLiteral("jobsBrokerKey"), KeyKey, tr("Client certificate's private key (PEM)")));
    m_connect = new QPushButton(tr("Connect"), broker);
    m_connect->setObjectName(QStringLiteral("jobsConnect"));
    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_controller->isActive())
            m_controller->disconnectFromBroker();
        else
            connectToBroker();
    });
    connect(m_url, &QLineEdit::returnPressed, this, [this] {
        if (!m_controller->isActive())
            connectToBroker();
    });
    m_status = new QLabel(broker);
    m_status->setObjectName(QStringLiteral("jobsStatus"));
    m_status->setWordWrap(true);
    m_connectError = new QLabel(broker);
    m_connectError->setObjectName(QStringLiteral("jobsConnectError"));
    m_connectError->setWordWrap(true);
    m_connectError->setStyleSheet(QStringLiteral("color: #c62828"));
    m_connectError->hide();
    auto* note = new QLabel(tr("The lab runs the AWS IoT Jobs + MQTT file streams service on this broker. "
                               "Devices running the FreeRTOS OTA agent (e.g. <tt>otalab-cli target serve --mqtt URL "
                               "--thing NAME</tt>) appear below once they ask for a job."),
                            broker);
    note->setWordWrap(true);
    note->setTextFormat(Qt::RichText);
    auto* brokerLayout = new QVBoxLayout(broker);
    brokerLayout->addLayout(form);
    brokerLayout->addWidget(m_connect);
    brokerLayout->addWidget(m_status);
    brokerLayout->addWidget(m_connectError);
    brokerLayout->addWidget(note);

    auto* devices = new QGroupBox(tr("MQTT devices"), left);
    m_devices = makeTable(devices, QStringLiteral("jobsDevices"), {tr("Thing"), tr("Execution"), tr("Blocks"), tr("Job"), tr("Last seen")});
    m_devices->setSelectionMode(QAbstractItemView::NoSelection);
    auto* devicesLayout = new QVBoxLayout(devices);
    devicesLayout->addWidget(m_devices);

    auto* layout = new QVBoxLayout(left);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->addWidget(broker);
    layout->addWidget(devices, 1);
    return left;
}

QWidget* JobsPage::buildJobs()
{
    auto* right = new QSplitter(Qt::Vertical, this);
    right->setChildrenCollapsible(false);

    auto* jobsBox = new QGroupBox(tr("Jobs"), right);
    m_jobs = makeTable(jobsBox, QStringLiteral("jobsTable"),
                       {tr("Job"), tr("Status"), tr("Targets"), tr("Notified"), tr("Rate"), tr("Executions"), tr("Abort / cancel reason")});
    m_create = new QPushButton(tr("Create job…"), jobsBox);
    m_create->setObjectName(QStringLiteral("jobsCreate"));
    m_cancel = new QPushButton(tr("Cancel (force)"), jobsBox);
    m_cancel->setObjectName(QStringLiteral("jobsCancel"));
    m_cancel->setToolTip(tr("Cancel the selected job: queued executions are removed, in-progress ones are canceled too (force)"));
    connect(m_create, &QPushButton::clicked, this, &JobsPage::openCreateDialog);
    connect(m_cancel, &QPushButton::clicked, this, &JobsPage::cancelSelected);
    connect(m_jobs, &QTableWidget::itemSelectionChanged, this, [this] {
        refreshExecutions();
        m_cancel->setEnabled(m_controller->isActive() && !selectedJob().isEmpty());
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    auto* jobsLayout = new QVBoxLayout(jobsBox);
    jobsLayout->addLayout(buttons);
    jobsLayout->addWidget(m_jobs);

    auto* executionsBox = new QGroupBox(tr("Executions"), right);
    m_executionsTitle = new QLabel(tr("Select a job to see its executions."), executionsBox);
    m_executions = makeTable(executionsBox, QStringLiteral("jobsExecutions"),
                             {tr("Thing"), tr("Execution state"), tr("Exec #"), tr("Blocks"), tr("Progress"), tr("KB/s"),
                              tr("statusDetails"), tr("Last change")});
    m_executions->setSelectionMode(QAbstractItemView::NoSelection);
    auto* executionsLayout = new QVBoxLayout(executionsBox);
    executionsLayout->addWidget(m_executionsTitle);
    executionsLayout->addWidget(m_executions);

    auto* logBox = new QGroupBox(tr("Service log"), right);
    m_log = new QPlainTextEdit(logBox);
    m_log->setObjectName(QStringLiteral("jobsLog"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_log->setFont(QFont(QStringLiteral("monospace")));
    auto* logLayout = new QVBoxLayout(logBox);
    logLayout->addWidget(m_log);

    right->addWidget(jobsBox);
    right->addWidget(executionsBox);
    right->addWidget(logBox);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 3);
    right->setStretchFactor(2, 1);
    return right;
}

void JobsPage::connectToBroker()
{
    m_connectError->hide();
    JobsController::Connection c;
    c.url = m_url->text().trimmed();
    c.caFile = m_caFile->text().trimmed();
    c.certFile = m_certFile->text().trimmed();
    c.keyFile = m_keyFile->text().trimmed();
    auto ok = m_controller->connectToBroker(c);
    if (!ok) {
        m_connectError->setText(ok.error().message);
        m_connectError->show();
        return;
    }
    QSettings s = settings();
    s.setValue(UrlKey, c.url);
    s.setValue(CaKey, c.caFile);
    s.setValue(CertKey, c.certFile);
    s.setValue(KeyKey, c.keyFile);
}

void JobsPage::onConnectionChanged(bool connected, const QString& text)
{
    const bool active = m_controller->isActive();
    m_connect->setText(active ? tr("Disconnect") : tr("Connect"));
    for (QLineEdit* e : {m_url, m_caFile, m_certFile, m_keyFile})
        e->setEnabled(!active);
    m_status->setText((connected ? QStringLiteral("<b style=\"color:#2e7d32\">●</b> ")
                                 : QStringLiteral("<b style=\"color:%1\">●</b> ").arg(active ? QStringLiteral("#ef6c00")
                                                                                              : QStringLiteral("#9e9e9e")))
                      + text.toHtmlEscaped());
    m_create->setEnabled(active);
    m_cancel->setEnabled(active && !selectedJob().isEmpty());
    if (!text.isEmpty())
        Q_EMIT statusMessage(text);
    scheduleRefresh();
}

void JobsPage::scheduleRefresh()
{
    if (m_refreshPending)
        return;
    m_refreshPending = true;
    QTimer::singleShot(50, this, [this] {
        m_refreshPending = false;
        refresh();
    });
}

void JobsPage::refresh()
{
    refreshJobs();
    refreshExecutions();
    refreshDevices();
    Q_EMIT refreshed();
}

QString JobsPage::selectedJob() const
{
    const auto rows = m_jobs->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    const QTableWidgetItem* item = m_jobs->item(rows.first().row(), 0);
    return item ? item->text() : QString();
}

void JobsPage::selectJob(const QString& jobId)
{
    for (int row = 0; row < m_jobs->rowCount(); ++row)
        if (m_jobs->item(row, 0) && m_jobs->item(row, 0)->text() == jobId) {
            m_jobs->selectRow(row);
            return;
        }
}

void JobsPage::refreshJobs()
{
    const QString selected = selectedJob();
    const auto jobs = m_controller->jobs();
    QSignalBlocker block(m_jobs);
    m_jobs->setRowCount(int(jobs.size()));
    for (int row = 0; row < int(jobs.size()); ++row) {
        const auto& job = jobs[std::size_t(row)];
        QStringList counts;
        for (auto it = job.counts.begin(); it != job.counts.end(); ++it)
            if (it.value().toInt() > 0)
                counts << QStringLiteral("%1 %2").arg(it.value().toInt()).arg(it.key());
        setCell(m_jobs, row, 0, job.jobId);
        setCell(m_jobs, row, 1, job.status);
        colorCell(m_jobs, row, 1, job.status);
        setCell(m_jobs, row, 2, QString::number(job.targets.size()), job.targets.join(QStringLiteral(", ")));
        setCell(m_jobs, row, 3, QStringLiteral("%1/%2").arg(job.notified).arg(job.targets.size()));
        setCell(m_jobs, row, 4, job.ratePerMinute > 0 ? tr("%1/min").arg(job.ratePerMinute, 0, 'g', 4) : tr("—"));
        setCell(m_jobs, row, 5, counts.join(QStringLiteral(", ")));
        setCell(m_jobs, row, 6, job.reason);
    }
    m_jobs->resizeColumnsToContents();
    block.unblock();
    if (!selected.isEmpty())
        selectJob(selected);
    else if (m_jobs->rowCount() == 1)
        m_jobs->selectRow(0);
}

void JobsPage::refreshExecutions()
{
    const QString jobId = selectedJob();
    const auto job = jobId.isEmpty() ? std::nullopt : m_controller->job(jobId);
    if (!job) {
        m_executions->setRowCount(0);
        m_executionsTitle->setText(m_controller->isActive() ? tr("Select a job to see its executions.")
                                                            : tr("Connect to a broker, then create a job."));
        return;
    }
    m_executionsTitle->setText(tr("<b>%1</b> — %2, stream %3, %4 bytes")
                                   .arg(job->jobId.toHtmlEscaped(), job->status, job->streamName.toHtmlEscaped())
                                   .arg(job->fileSize));
    m_executions->setRowCount(int(job->executions.size()));
    for (int row = 0; row < int(job->executions.size()); ++row) {
        const auto& e = job->executions[std::size_t(row)];
        const ExecutionFigures f = m_controller->figures(job->jobId, e.thing);
        setCell(m_executions, row, ThingCol, e.thing);
        setCell(m_executions, row, StateCol, e.status);
        colorCell(m_executions, row, StateCol, e.status);
        setCell(m_executions, row, NumberCol, e.executionNumber > 0 ? QString::number(e.executionNumber) : tr("—"));
        // The summary's count moves with the device's status updates, the progress signal
        // with every block: show the newer one (as the devices table does).
        const int blocks = std::max(e.blocksReceived, f.blocksReceived);
        setCell(m_executions, row, BlocksCol, e.blocksTotal > 0 ? QStringLiteral("%1/%2").arg(blocks).arg(e.blocksTotal) : tr("—"));
        auto* bar = qobject_cast<QProgressBar*>(m_executions->cellWidget(row, ProgressCol));
        if (!bar) {
            bar = new QProgressBar(m_executions);
            bar->setTextVisible(true);
            m_executions->setCellWidget(row, ProgressCol, bar);
        }
        bar->setRange(0, std::max(1, e.blocksTotal));
        bar->setValue(std::min(blocks, std::max(1, e.blocksTotal)));
        // The bar draws the percentage; the item under it stays empty (text for scripts in its tooltip).
        setCell(m_executions, row, ProgressCol, QString(),
                e.blocksTotal > 0 ? QStringLiteral("%1 %").arg(100 * blocks / e.blocksTotal) : tr("no blocks yet"));
        setCell(m_executions, row, RateCol, f.kilobytesPerSecond > 0 ? QString::number(f.kilobytesPerSecond, 'f', 1) : tr("—"));
        setCell(m_executions, row, DetailsCol, detailsText(e.statusDetails));
        setCell(m_executions, row, ChangedCol, clockText(f.lastChangeMs));
    }
    m_executions->resizeColumnsToContents();
    if (m_executions->columnWidth(ProgressCol) < 140)
        m_executions->setColumnWidth(ProgressCol, 140);
}

void JobsPage::refreshDevices()
{
    const QList<MqttDevice> devices = m_controller->devices();
    m_devices->setRowCount(int(devices.size()));
    for (int row = 0; row < int(devices.size()); ++row) {
        const MqttDevice& d = devices[row];
        setCell(m_devices, row, 0, d.thing, d.lastTopic);
        setCell(m_devices, row, 1, d.status.isEmpty() ? tr("waiting for a job") : d.status);
        colorCell(m_devices, row, 1, d.status);
        setCell(m_devices, row, 2, d.blocksTotal > 0 ? QStringLiteral("%1/%2").arg(d.blocksReceived).arg(d.blocksTotal) : tr("—"));
        setCell(m_devices, row, 3, d.jobId);
        setCell(m_devices, row, 4, clockText(d.lastSeenMs), d.lastTopic);
    }
    m_devices->resizeColumnsToContents();
}

QString JobsPage::executionCell(const QString& thing, int column) const
{
    for (int row = 0; row < m_executions->rowCount(); ++row)
        if (m_executions->item(row, ThingCol) && m_executions->item(row, ThingCol)->text() == thing)
            return m_executions->item(row, column) ? m_executions->item(row, column)->text() : QString();
    return {};
}

JobsCreateDialog* JobsPage::makeCreateDialog()
{
    return new JobsCreateDialog(*m_controller, this);
}

void JobsPage::openCreateDialog()
{
    JobsCreateDialog* dialog = makeCreateDialog();
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString id = dialog->createdJobId();
        refresh();
        selectJob(id);
        Q_EMIT statusMessage(tr("job %1 created").arg(id));
    });
    dialog->open();
}

void JobsPage::cancelSelected()
{
    const QString jobId = selectedJob();
    if (jobId.isEmpty())
        return;
    const auto answer = QMessageBox::question(this, tr("Cancel job %1").arg(jobId),
                                              tr("Cancel job %1 with force? Executions in progress are canceled too; "
                                                 "their devices abort the download.").arg(jobId));
    if (answer != QMessageBox::Yes)
        return;
    const auto response = m_controller->cancelJob(jobId, true, tr("canceled on the Bench"));
    Q_EMIT statusMessage(response.ok ? tr("job %1 canceled").arg(jobId) : tr("cannot cancel %1: %2").arg(jobId, response.error));
    refresh();
}

} // namespace otalab::app
