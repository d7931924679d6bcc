// SPDX-License-Identifier: Apache-2.0
// JobsPage: the Bench's "Jobs (MQTT)" page. Left: the broker (URL, TLS CA / client
// certificate / key, Connect) and the MQTT devices seen on it (their execution state and
// block progress). Right: the jobs (status, notified, rate, abort/cancel reason) with
// "Create job…" and "Cancel (force)", the selected job's executions (thing, execution
// state, execution number, blocks k/N with a bar, KB/s, statusDetails, last change) and the
// service's log. The lab runs the jobs + streams service itself (JobsController).
// GUI thread.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace otalab::app {

class JobsController;
class JobsCreateDialog;

class JobsPage final : public QWidget {
    Q_OBJECT
public:
    // controller null: the page makes its own.
    explicit JobsPage(QWidget* parent = nullptr, JobsController* controller = nullptr);

    JobsController& controller() const { return *m_controller; }
    QLineEdit* brokerUrl() const { return m_url; }
    QTableWidget* jobsTable() const { return m_jobs; }
    QTableWidget* executionsTable() const { return m_executions; }
    QTableWidget* devicesTable() const { return m_devices; }
    QLabel* statusLabel() const { return m_status; }
    QString selectedJob() const;
    void selectJob(const QString& jobId);

    // Connects with the fields' values (Connect button); an error is shown under them.
    void connectToBroker();
    // A modeless Create job dialog (the button opens it modal); the caller owns it.
    JobsCreateDialog* makeCreateDialog();
    // The cell text of the selected job's execution of `thing` in `column` (tests, scripts).
    QString executionCell(const QString& thing, int column) const;

    // Rebuilds the tables now (they also follow the service by themselves: at once on an
    // execution state change, at most every 50 ms for progress).
    void refresh();

    enum ExecutionColumn { ThingCol, StateCol, NumberCol, BlocksCol, ProgressCol, RateCol, DetailsCol, ChangedCol, ColumnCount };

Q_SIGNALS:
    void statusMessage(const QString& message);
    void refreshed();   // after every refresh of the tables

private:
    QWidget* buildBroker();
    QWidget* buildJobs();
    void onConnectionChanged(bool connected, const QString& text);
    void scheduleRefresh();
    void refreshJobs();
    void refreshExecutions();
    void refreshDevices();
    void cancelSelected();
    void openCreateDialog();

    JobsController* m_controller = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_caFile = nullptr;
    QLineEdit* m_certFile = nullptr;
    QLineEdit* m_keyFile = nullptr;
    QPushButton* m_connect = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_connectError = nullptr;
    QTableWidget* m_jobs = nullptr;
    QTableWidget* m_executions = nullptr;
    QTableWidget* m_devices = nullptr;
    QLabel* m_executionsTitle = nullptr;
    QPushButton* m_create = nullptr;
    QPushButton* m_cancel = nullptr;
    QPlainTextEdit* m_log = nullptr;
    bool m_refreshPending = false;
};

} // namespace otalab::app
