// SPDX-License-Identifier: Apache-2.0
// JobsCreateDialog: "Create job…" (see the header).
#include "jobscreatedialog.h"

#include "jobscontroller.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace otalab::app {
namespace {

const QString LastDirKey = QStringLiteral("bench/jobs/lastFileDir");

QSettings settings()
{
    return QSettings(QStringLiteral("OTA Lab"), QStringLiteral("otalab"));
}

// The service's field ("jobId", "targets[1]", "rollout.abortConfig…") → the dialog's.
QString dialogFieldOf(const QString& serviceField)
{
    if (serviceField.startsWith(QLatin1String("rollout")))
        return jobFieldOfRolloutKey(serviceField);
    if (serviceField.startsWith(QLatin1String("targets")))
        return QString::fromLatin1(JobField::Targets);
    if (serviceField == QLatin1String("jobId"))
        return QString::fromLatin1(JobField::JobId);
    if (serviceField == QLatin1String("file"))
        return QString::fromLatin1(JobField::Image);
    return {};
}

} // namespace

JobsCreateDialog::JobsCreateDialog(JobsController& controller, QWidget* parent) : QDialog(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("benchJobsCreateDialog"));
    setWindowTitle(tr("Create job — AWS IoT Jobs over MQTT"));

    m_jobId = new QLineEdit(this);
    m_jobId->setObjectName(QStringLiteral("jobsCreateJobId"));
    m_jobId->setPlaceholderText(tr("e.g. fw-1.0.1 (letters, digits, - and _)"));

    m_targets = new QLineEdit(this);
    m_targets->setObjectName(QStringLiteral("jobsCreateTargets"));
    m_targets->setPlaceholderText(tr("thing names, comma separated, in rollout order"));
    m_seen = new QComboBox(this);
    m_seen->setObjectName(QStringLiteral("jobsCreateSeenThings"));
    const QStringList seen = controller.thingsSeen();
    m_seen->addItem(seen.isEmpty() ? tr("no thing seen on the broker yet") : tr("Add a thing seen on the broker…"));
    m_seen->addItems(seen);
    if (seen.size() > 1)
        m_seen->addItem(tr("All %1 things seen").arg(seen.size()));
    m_seen->setEnabled(!seen.isEmpty());
    connect(m_seen, &QComboBox::activated, this, [this, seen](int index) {
        if (index <= 0)
            return;
        QStringList current = m_targets->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& t : current)
            t = t.trimmed();
        const QStringList add = index > seen.size() ? seen : QStringList{seen.at(index - 1)};
        for (const QString& t : add)
            if (!current.contains(t))
                current << t;
        m_targets->setText(current.join(QStringLiteral(", ")));
        m_seen->setCurrentIndex(0);
    });
    auto* targetsRow = new QWidget(this);
    auto* targetsLayout = new QHBoxLayout(targetsRow);
    targetsLayout->setContentsMargins(0, 0, 0, 0);
    targetsLayout->addWidget(m_targets, 2);
    targetsLayout->addWidget(m_seen, 1);
    m_fields.insert(QString::fromLatin1(JobField::Targets), m_targets);

    auto* files = new QGroupBox(tr("Image and code signing"), this);
    auto* filesForm = new QFormLayout(files);
    filesForm->addRow(tr("Image file:"), withError(JobField::Image, fileRow(m_image, QStringLiteral("jobsCreateImage"),
                                                                              tr("Firmware image"), tr("Images (*.bin *.img *.hex);;All files (*)"))));
    filesForm->addRow(tr("Signing key:"), withError(JobField::Key, fileRow(m_key, QStringLiteral("jobsCreateKey"),
                                                                           tr("ECDSA P-256 private key (PEM)"), tr("PEM files (*.pem *.key);;All files (*)"))));
    filesForm->addRow(tr("Certificate:"),
                      withError(JobField::Certificate, fileRow(m_certificate, QStringLiteral("jobsCreateCertificate"),
                                                               tr("Code-signing certificate (PEM)"), tr("PEM files (*.pem *.crt);;All files (*)"))));
    auto* signingNote = new QLabel(tr("The image is signed here (ECDSA P-256 / SHA-256, as AWS code signing for FreeRTOS); "
                                      "the certificate's path goes in the job document as certfile."),
                                   files);
    signingNote->setWordWrap(true);
    signingNote->setStyleSheet(QStringLiteral("color: palette(mid)"));
    filesForm->addRow(signingNote);

    // Rollout. Spin boxes reach past the service's ranges so its own messages are shown.
    auto* rollout = new QGroupBox(tr("Rollout (jobExecutionsRolloutConfig)"), this);
    auto* rolloutForm = new QFormLayout(rollout);
    m_rate = new QComboBox(rollout);
    m_rate->setObjectName(QStringLiteral("jobsCreateRate"));
    m_rate->addItems({tr("All targets at once"), tr("Maximum per minute"), tr("Exponential rate")});
    m_maxPerMinute = new QSpinBox(rollout);
    m_maxPerMinute->setObjectName(QStringLiteral("jobsCreateMaxPerMinute"));
    m_maxPerMinute->setRange(0, 10000000);
    m_maxPerMinute->setSuffix(tr(" things/min"));
    m_baseRate = new QSpinBox(rollout);
    m_baseRate->setObjectName(QStringLiteral("jobsCreateBaseRate"));
    m_baseRate->setRange(0, 10000000);
    m_baseRate->setSuffix(tr(" things/min"));
    m_factor = new QDoubleSpinBox(rollout);
    m_factor->setObjectName(QStringLiteral("jobsCreateFactor"));
    m_factor->setRange(0, 100);
    m_factor->setDecimals(2);
    m_factor->setSingleStep(0.1);
    m_factor->setPrefix(QStringLiteral("× "));
    m_criterion = new QComboBox(rollout);
    m_criterion->setObjectName(QStringLiteral("jobsCreateCriterion"));
    m_criterion->addItems({tr("after N things succeeded"), tr("after N things notified")});
    m_criterionCount = new QSpinBox(rollout);
    m_criterionCount->setObjectName(QStringLiteral("jobsCreateCriterionCount"));
    m_criterionCount->setRange(0, 10000000);
    m_criterionCount->setPrefix(QStringLiteral("N = "));
    auto* criterionRow = new QWidget(rollout);
    auto* criterionLayout = new QHBoxLayout(criterionRow);
    criterionLayout->setContentsMargins(0, 0, 0, 0);
    criterionLayout->addWidget(m_criterion, 1);
    criterionLayout->addWidget(m_criterionCount);
    m_fields.insert(QString::fromLatin1(JobField::Criterion), m_criterionCount);
    rolloutForm->addRow(tr("Rate:"), m_rate);
    rolloutForm->addRow(tr("Maximum per minute:"), withError(JobField::MaximumPerMinute, m_maxPerMinute));
    rolloutForm->addRow(tr("Base rate:"), withError(JobField::BaseRate, m_baseRate));
    rolloutForm->addRow(tr("Increment factor:"), withError(JobField::IncrementFactor, m_factor));
    rolloutForm->addRow(tr("Rate grows:"), withError(JobField::Criterion, criterionRow));
    m_rows.insert(QString::fromLatin1(JobField::MaximumPerMinute), m_maxPerMinute);
    connect(m_rate, &QComboBox::currentIndexChanged, this, &JobsCreateDialog::updateRateFields);

    m_abort = new QGroupBox(tr("Abort criterion (abortConfig: CANCEL)"), this);
    m_abort->setObjectName(QStringLiteral("jobsCreateAbort"));
    m_abort->setCheckable(true);
    m_abort->setChecked(false);
    auto* abortForm = new QFormLayout(m_abort);
    m_failureType = new QComboBox(m_abort);
    m_failureType->setObjectName(QStringLiteral("jobsCreateFailureType"));
    m_failureType->addItems({QStringLiteral("FAILED"), QStringLiteral("REJECTED"), QStringLiteral("TIMED_OUT"), QStringLiteral("ALL")});
    m_threshold = new QDoubleSpinBox(m_abort);
    m_threshold->setObjectName(QStringLiteral("jobsCreateThreshold"));
    m_threshold->setRange(0, 1000);
    m_threshold->setDecimals(2);
    m_threshold->setSuffix(QStringLiteral(" %"));
    m_minExecuted = new QSpinBox(m_abort);
    m_minExecuted->setObjectName(QStringLiteral("jobsCreateMinExecuted"));
    m_minExecuted->setRange(0, 10000000);
    abortForm->addRow(tr("Failure type:"), withError(JobField::FailureType, m_failureType));
    abortForm->addRow(tr("Threshold:"), withError(JobField::Threshold, m_threshold));
    abortForm->addRow(tr("Minimum executed things:"), withError(JobField::MinExecuted, m_minExecuted));

    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("jobsCreateTimeout"));
    m_timeout->setRange(0, 10000000);
    m_timeout->setDecimals(0);
    m_timeout->setSuffix(tr(" min"));
    m_timeout->setSpecialValueText(tr("none"));

    m_general = new QLabel(this);
    m_general->setObjectName(QStringLiteral("jobsCreateError"));
    m_general->setWordWrap(true);
    m_general->setStyleSheet(QStringLiteral("color: #c62828"));
    m_general->hide();

    auto* top = new QFormLayout;
    top->addRow(tr("Job id:"), withError(JobField::JobId, m_jobId));
    top->addRow(tr("Target things:"), withError(JobField::Targets, targetsRow));
    top->addRow(tr("In-progress timeout:"), withError(JobField::Timeout, m_timeout));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto* create = buttons->addButton(tr("Create"), QDialogButtonBox::AcceptRole);
    create->setObjectName(QStringLiteral("jobsCreateSubmit"));
    create->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] { submit(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(files);
    layout->addWidget(rollout);
    layout->addWidget(m_abort);
    layout->addWidget(m_general);
    layout->addStretch(1);
    layout->addWidget(buttons);

    setDraft(JobDraft{});
    setMinimumWidth(560);
}

QWidget* JobsCreateDialog::fileRow(QLineEdit*& edit, const QString& objectName, const QString& title, const QString& filter)
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    edit = new QLineEdit(row);
    edit->setObjectName(objectName);
    auto* browse = new QPushButton(tr("Browse…"), row);
    browse->setObjectName(objectName + QStringLiteral("Browse"));
    QLineEdit* target = edit;
    connect(browse, &QPushButton::clicked, this, [this, target, title, filter] {
        QSettings s = settings();
        const QString start = target->text().isEmpty() ? s.value(LastDirKey).toString() : target->text();
        const QString path = QFileDialog::getOpenFileName(this, title, start, filter);
        if (path.isEmpty())
            return;
        s.setValue(LastDirKey, QFileInfo(path).absolutePath());
        target->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

QWidget* JobsCreateDialog::withError(const char* field, QWidget* widget)
{
    const QString name = QString::fromLatin1(field);
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(widget);
    auto* error = new QLabel(box);
    error->setObjectName(QStringLiteral("jobsCreateError_") + name);
    // No word wrap: a wrapping label's height depends on its width and the form row it sits
    // in did not grow for it (the field above was squeezed flat).
    error->setStyleSheet(QStringLiteral("color: #c62828"));
    error->hide();
    layout->addWidget(error);
    m_errors.insert(name, error);
    if (!m_fields.contains(name)) {
        // The line edit inside a file row (a plain QWidget) is what turns red — not the one
        // inside a spin box or combo box.
        QLineEdit* edit = widget->metaObject() == &QWidget::staticMetaObject ? widget->findChild<QLineEdit*>() : nullptr;
        m_fields.insert(name, qobject_cast<QLineEdit*>(widget) ? widget : (edit ? edit : widget));
    }
    m_rows.insert(name, box);
    return box;
}

void JobsCreateDialog::updateRateFields()
{
    const int rate = m_rate->currentIndex();
    m_maxPerMinute->setEnabled(rate == 1);
    for (QWidget* w : {static_cast<QWidget*>(m_baseRate), static_cast<QWidget*>(m_factor), static_cast<QWidget*>(m_criterion),
                       static_cast<QWidget*>(m_criterionCount)})
        w->setEnabled(rate == 2);
}

JobDraft JobsCreateDialog::draft() const
{
    JobDraft d;
    d.jobId = m_jobId->text().trimmed();
    for (const QString& t : m_targets->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!t.trimmed().isEmpty())
            d.targets << t.trimmed();
    d.imagePath = m_image->text().trimmed();
    d.keyPath = m_key->text().trimmed();
    d.certificatePath = m_certificate->text().trimmed();
    d.rate = JobDraft::Rate(m_rate->currentIndex());
    d.maximumPerMinute = m_maxPerMinute->value();
    d.baseRatePerMinute = m_baseRate->value();
    d.incrementFactor = m_factor->value();
    d.criterion = JobDraft::Criterion(m_criterion->currentIndex());
    d.criterionCount = m_criterionCount->value();
    d.abortEnabled = m_abort->isChecked();
    d.failureType = m_failureType->currentText();
    d.thresholdPercentage = m_threshold->value();
    d.minNumberOfExecutedThings = m_minExecuted->value();
    d.inProgressTimeoutMinutes = m_timeout->value();
    return d;
}

void JobsCreateDialog::setDraft(const JobDraft& d)
{
    m_jobId->setText(d.jobId);
    m_targets->setText(d.targets.join(QStringLiteral(", ")));
    m_image->setText(d.imagePath);
    m_key->setText(d.keyPath);
    m_certificate->setText(d.certificatePath);
    m_rate->setCurrentIndex(int(d.rate));
    m_maxPerMinute->setValue(d.maximumPerMinute);
    m_baseRate->setValue(d.baseRatePerMinute);
    m_factor->setValue(d.incrementFactor);
    m_criterion->setCurrentIndex(int(d.criterion));
    m_criterionCount->setValue(d.criterionCount);
    m_abort->setChecked(d.abortEnabled);
    m_failureType->setCurrentText(d.failureType);
    m_threshold->setValue(d.thresholdPercentage);
    m_minExecuted->setValue(d.minNumberOfExecutedThings);
    m_timeout->setValue(d.inProgressTimeoutMinutes);
    updateRateFields();
}

void JobsCreateDialog::clearErrors()
{
    for (QLabel* label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
    for (QWidget* w : std::as_const(m_fields))
        w->setStyleSheet(QString());
    m_general->clear();
    m_general->hide();
}

void JobsCreateDialog::showError(const QString& field, const QString& message)
{
    QLabel* label = m_errors.value(field);
    if (!label) {
        m_general->setText(message);
        m_general->show();
        return;
    }
    label->setText(message);
    label->show();
    // Grow for the new line now (the form row under it would otherwise be squeezed).
    label->parentWidget()->updateGeometry();
    layout()->activate();
    resize(size().expandedTo(sizeHint()));
    if (QWidget* w = m_fields.value(field)) {
        // A red frame on line edits only: a style sheet on a spin box or combo box drops
        // its native frame and squeezes it; the red text under the field says enough.
        if (qobject_cast<QLineEdit*>(w))
            w->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c62828; padding: 2px; }"));
        w->setFocus();
    }
}

QString JobsCreateDialog::errorOn(const QString& field) const
{
    if (field.isEmpty())
        return m_general->text();
    QLabel* label = m_errors.value(field);
    return label ? label->text() : QString();
}

bool JobsCreateDialog::submit()
{
    clearErrors();
    auto request = buildCreateRequest(draft());
    if (!request) {
        showError(request.error().field, request.error().message);
        return false;
    }
    const auto response = m_controller.createJob(*request);
    if (!response.ok) {
        const QString field = dialogFieldOf(response.field);
        showError(field, field.isEmpty() && !response.field.isEmpty() ? response.field + QStringLiteral(": ") + response.error
                                                                       : response.error);
        return false;
    }
    m_created = request->jobId;
    accept();
    return true;
}

} // namespace otalab::app
