// SPDX-License-Identifier: Apache-2.0
// The Bench's Jobs (MQTT) page against a real mosquitto (tests/support) and an in-process
// emulated FreeRTOS OTA device (app/hw AwsOtaDeviceHost): the page connects and runs the
// jobs service, the device shows up as an MQTT device, the Create job dialog refuses a
// rollout the service would refuse (on the field, with validate()'s words) and then creates
// the job; the executions table shows QUEUED → IN_PROGRESS → SUCCEEDED with blocks N/N.
// Waits are event-driven with generous bounds.
#include "jobs_e2e_support.h"

#include "bench/benchwindow.h"
#include "bench/jobscontroller.h"
#include "bench/jobscreatedialog.h"
#include "bench/jobspage.h"

#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QTableWidget>

namespace otalab::testing {
namespace {

using app::JobDraft;
using app::JobsController;
using app::JobsPage;

QString writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    return path;
}

QString cell(QTableWidget* table, int row, int column)
{
    return table->item(row, column) ? table->item(row, column)->text() : QString();
}

// Distinct successive values of the thing's execution state column, as the page showed them.
struct StateRecorder {
    QStringList states;
    void record(const QString& state)
    {
        if (!state.isEmpty() && (states.isEmpty() || states.last() != state))
            states << state;
    }
};

TEST(GuiBenchJobsPage, ConnectsCreatesAJobAndShowsTheDeviceSucceed)
{
    OTALAB_REQUIRE_MOSQUITTO();
    JobsLab lab;
    QString why;
    ASSERT_TRUE(lab.start(&why)) << why.toStdString();

    JobsController controller(nullptr, &jobsMqttRegistry());
    JobsPage page(nullptr, &controller);
    page.resize(1366, 768);
    page.show();
    page.brokerUrl()->setText(lab.broker().url());
    page.connectToBroker();
    ASSERT_TRUE(waitFor([&] { return controller.isConnected(); }, 30000)) << page.statusLabel()->text().toStdString();
    EXPECT_TRUE(page.statusLabel()->text().contains(QStringLiteral("serving jobs on"))) << page.statusLabel()->text().toStdString();

    // The device asks for its job on $next/get: it appears as an MQTT device.
    LabDevice& dev = lab.startDevice(QStringLiteral("desk-1"));
    ASSERT_TRUE(waitFor([&] { return controller.thingsSeen().contains(QStringLiteral("desk-1")); }, 30000));
    ASSERT_TRUE(waitFor([&] { return page.devicesTable()->rowCount() == 1; }, 30000));
    EXPECT_EQ(cell(page.devicesTable(), 0, 0), QStringLiteral("desk-1"));
    EXPECT_EQ(cell(page.devicesTable(), 0, 1), QStringLiteral("waiting for a job"));

    const QByteArray image = testImage(20000);   // 20 blocks of 1024 (the last 544 bytes)
    JobDraft draft;
    draft.jobId = QStringLiteral("fw-2");
    draft.targets = {QStringLiteral("desk-1")};
    draft.imagePath = writeFile(QDir(lab.dir()).filePath(QStringLiteral("app.bin")), image);
    draft.keyPath = writeFile(QDir(lab.dir()).filePath(QStringLiteral("signer.key")), lab.identity().privateKeyPem);
    draft.certificatePath = lab.certFile();
    draft.rate = JobDraft::Rate::MaximumPerMinute;
    draft.maximumPerMinute = 0;   // the service's range starts at 1

    std::unique_ptr<app::JobsCreateDialog> dialog(page.makeCreateDialog());
    dialog->setDraft(draft);
    EXPECT_FALSE(dialog->submit());
    EXPECT_TRUE(dialog->errorOn(QStringLiteral("maximumPerMinute")).contains(QStringLiteral("expected an integer in [1,")))
        << dialog->errorOn(QStringLiteral("maximumPerMinute")).toStdString();
    EXPECT_TRUE(controller.jobs().empty());

    draft.maximumPerMinute = 10;
    dialog->setDraft(draft);
    ASSERT_TRUE(dialog->submit()) << dialog->errorOn({}).toStdString();
    EXPECT_EQ(dialog->createdJobId(), QStringLiteral("fw-2"));

    // Shown at once: the job, and its execution still QUEUED (the device has not answered:
    // its notification is only delivered by the event loop).
    StateRecorder recorder;
    QObject::connect(&page, &JobsPage::refreshed, &page,
                     [&] { recorder.record(page.executionCell(QStringLiteral("desk-1"), JobsPage::StateCol)); });
    page.refresh();
    page.selectJob(QStringLiteral("fw-2"));
    ASSERT_EQ(page.jobsTable()->rowCount(), 1);
    EXPECT_EQ(cell(page.jobsTable(), 0, 0), QStringLiteral("fw-2"));
    EXPECT_EQ(page.selectedJob(), QStringLiteral("fw-2"));
    recorder.record(page.executionCell(QStringLiteral("desk-1"), JobsPage::StateCol));
    ASSERT_EQ(recorder.states, QStringList{QStringLiteral("QUEUED")});

    ASSERT_TRUE(waitFor([&] { return page.executionCell(QStringLiteral("desk-1"), JobsPage::StateCol) == QStringLiteral("SUCCEEDED"); },
                        60000))
        << recorder.states.join(QStringLiteral(" -> ")).toStdString() << "\n" << dev.log.join('\n').toStdString();
    EXPECT_EQ(recorder.states, (QStringList{QStringLiteral("QUEUED"), QStringLiteral("IN_PROGRESS"), QStringLiteral("SUCCEEDED")}));

    // Blocks reached N/N, the bar is full, the execution number and the agent's last words.
    EXPECT_EQ(page.executionCell(QStringLiteral("desk-1"), JobsPage::BlocksCol), QStringLiteral("20/20"));
    EXPECT_EQ(page.executionCell(QStringLiteral("desk-1"), JobsPage::NumberCol), QStringLiteral("1"));
    EXPECT_TRUE(page.executionCell(QStringLiteral("desk-1"), JobsPage::DetailsCol).contains(QStringLiteral("accepted")))
        << page.executionCell(QStringLiteral("desk-1"), JobsPage::DetailsCol).toStdString();
    EXPECT_FALSE(page.executionCell(QStringLiteral("desk-1"), JobsPage::ChangedCol).isEmpty());
    auto* bar = qobject_cast<QProgressBar*>(page.executionsTable()->cellWidget(0, JobsPage::ProgressCol));
    ASSERT_NE(bar, nullptr);
    EXPECT_EQ(bar->value(), bar->maximum());
    EXPECT_EQ(bar->maximum(), 20);
    EXPECT_EQ(dev.ended, QStringList{QStringLiteral("SUCCEEDED")});

    // The job row and the device row follow.
    ASSERT_TRUE(waitFor([&] { return cell(page.jobsTable(), 0, 1) == QStringLiteral("COMPLETED"); }, 30000))
        << cell(page.jobsTable(), 0, 1).toStdString();
    ASSERT_TRUE(waitFor([&] { return cell(page.devicesTable(), 0, 1) == QStringLiteral("SUCCEEDED"); }, 30000));
    EXPECT_EQ(cell(page.devicesTable(), 0, 2), QStringLiteral("20/20"));
    EXPECT_EQ(cell(page.devicesTable(), 0, 3), QStringLiteral("fw-2"));

    controller.disconnectFromBroker();
    EXPECT_FALSE(controller.isActive());
}

TEST(GuiBenchJobsPage, CancelForceShowsCanceledAndTheReason)
{
    OTALAB_REQUIRE_MOSQUITTO();
    JobsLab lab;
    QString why;
    ASSERT_TRUE(lab.start(&why)) << why.toStdString();
    JobsController controller(nullptr, &jobsMqttRegistry());
    JobsPage page(nullptr, &controller);
    page.brokerUrl()->setText(lab.broker().url());
    page.connectToBroker();
    ASSERT_TRUE(waitFor([&] { return controller.isConnected(); }, 30000)) << page.statusLabel()->text().toStdString();

    // A thing that never answers: its execution stays QUEUED until the cancel.
    JobDraft draft;
    draft.jobId = QStringLiteral("fw-ghost");
    draft.targets = {QStringLiteral("ghost-1")};
    draft.imagePath = writeFile(QDir(lab.dir()).filePath(QStringLiteral("app.bin")), testImage(3000));
    draft.keyPath = writeFile(QDir(lab.dir()).filePath(QStringLiteral("signer.key")), lab.identity().privateKeyPem);
    draft.certificatePath = lab.certFile();
    auto request = app::buildCreateRequest(draft);
    ASSERT_TRUE(request.has_value()) << request.error().toString().toStdString();
    ASSERT_TRUE(controller.createJob(*request).ok);
    page.refresh();
    page.selectJob(QStringLiteral("fw-ghost"));
    EXPECT_EQ(page.executionCell(QStringLiteral("ghost-1"), JobsPage::StateCol), QStringLiteral("QUEUED"));

    const auto response = controller.cancelJob(QStringLiteral("fw-ghost"), true, QStringLiteral("canceled on the Bench"));
    ASSERT_TRUE(response.ok) << response.error.toStdString();
    page.refresh();
    EXPECT_EQ(cell(page.jobsTable(), 0, 1), QStringLiteral("CANCELED"));
    EXPECT_TRUE(cell(page.jobsTable(), 0, 6).contains(QStringLiteral("canceled on the Bench"))) << cell(page.jobsTable(), 0, 6).toStdString();
    EXPECT_EQ(page.executionCell(QStringLiteral("ghost-1"), JobsPage::StateCol), QStringLiteral("CANCELED"));

    // The same job id again is refused by the service and shown on the job id field.
    std::unique_ptr<app::JobsCreateDialog> dialog(page.makeCreateDialog());
    dialog->setDraft(draft);
    EXPECT_FALSE(dialog->submit());
    EXPECT_FALSE(dialog->errorOn(QStringLiteral("jobId")).isEmpty() && dialog->errorOn({}).isEmpty());
}

TEST(GuiBenchJobsPage, DraftErrorsNameTheirField)
{
    JobDraft draft;
    draft.jobId = QStringLiteral("bad id!");
    draft.targets = {QStringLiteral("a")};
    auto r = app::buildCreateRequest(draft);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, QStringLiteral("jobId"));

    draft.jobId = QStringLiteral("ok");
    draft.targets = {QStringLiteral("a"), QStringLiteral("a")};
    r = app::buildCreateRequest(draft);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, QStringLiteral("targets"));

    draft.targets = {QStringLiteral("a")};
    draft.rate = JobDraft::Rate::Exponential;
    draft.incrementFactor = 50;
    auto section = app::buildRolloutSection(draft);
    ASSERT_FALSE(section.has_value());
    EXPECT_EQ(section.error().field, QStringLiteral("incrementFactor")) << section.error().message.toStdString();

    draft.incrementFactor = 2;
    draft.abortEnabled = true;
    draft.thresholdPercentage = 150;
    section = app::buildRolloutSection(draft);
    ASSERT_FALSE(section.has_value());
    EXPECT_EQ(section.error().field, QStringLiteral("thresholdPercentage")) << section.error().message.toStdString();

    draft.thresholdPercentage = 20;
    draft.inProgressTimeoutMinutes = 20000;
    section = app::buildRolloutSection(draft);
    ASSERT_FALSE(section.has_value());
    EXPECT_EQ(section.error().field, QStringLiteral("inProgressTimeoutInMinutes")) << section.error().message.toStdString();

    draft.inProgressTimeoutMinutes = 30;
    section = app::buildRolloutSection(draft);
    ASSERT_TRUE(section.has_value()) << section.error().toString().toStdString();
    EXPECT_EQ(section->value(QStringLiteral("timeoutConfig")).toObject().value(QStringLiteral("inProgressTimeoutInMinutes")).toDouble(), 30);

    // No image yet: the image field.
    r = app::buildCreateRequest(draft);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, QStringLiteral("image"));
}

TEST(GuiBenchJobsPage, BenchWindowHasTheJobsTab)
{
    ensureApp();
    app::BenchWindow window;
    auto* page = window.findChild<JobsPage*>(QStringLiteral("benchJobsPage"));
    ASSERT_NE(page, nullptr);
    EXPECT_FALSE(page->controller().isActive());
    EXPECT_TRUE(page->brokerUrl()->text().startsWith(QStringLiteral("mqtt")));
}

} // namespace
} // namespace otalab::testing
