// SPDX-License-Identifier: Apache-2.0
// JobsCreateDialog: "Create job…" of the Bench's Jobs (MQTT) page. Job id, target things
// (typed, or picked from the things seen on the broker), image + signing key + certificate,
// rollout (all at once, maximum per minute, or exponential: base, factor, criterion), one
// abort criterion (failure type, threshold %, minimum executed) and the in-progress
// timeout. Create builds the request (JobDraft → buildCreateRequest: the service's rollout
// reader and validate() messages) and hands it to the service; a refusal is shown in red
// under the field it names, and the dialog stays open. GUI thread.
#pragma once

#include "jobsdraft.h"

#include <QDialog>
#include <QHash>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace otalab::app {

class JobsController;

class JobsCreateDialog final : public QDialog {
    Q_OBJECT
public:
    JobsCreateDialog(JobsController& controller, QWidget* parent = nullptr);

    JobDraft draft() const;
    void setDraft(const JobDraft& draft);
    // Builds and sends the request; true when the service took the job (then accept()s).
    bool submit();
    // The message shown on a JobField (empty: none); the job id the service accepted.
    QString errorOn(const QString& field) const;
    QString createdJobId() const { return m_created; }

private:
    QWidget* fileRow(QLineEdit*& edit, const QString& objectName, const QString& title, const QString& filter);
    QWidget* withError(const char* field, QWidget* widget);
    void clearErrors();
    void showError(const QString& field, const QString& message);
    void updateRateFields();

    JobsController& m_controller;
    QLineEdit* m_jobId = nullptr;
    QLineEdit* m_targets = nullptr;
    QComboBox* m_seen = nullptr;
    QLineEdit* m_image = nullptr;
    QLineEdit* m_key = nullptr;
    QLineEdit* m_certificate = nullptr;
    QComboBox* m_rate = nullptr;
    QSpinBox* m_maxPerMinute = nullptr;
    QSpinBox* m_baseRate = nullptr;
    QDoubleSpinBox* m_factor = nullptr;
    QComboBox* m_criterion = nullptr;
    QSpinBox* m_criterionCount = nullptr;
    QGroupBox* m_abort = nullptr;
    QComboBox* m_failureType = nullptr;
    QDoubleSpinBox* m_threshold = nullptr;
    QSpinBox* m_minExecuted = nullptr;
    QDoubleSpinBox* m_timeout = nullptr;
    QLabel* m_general = nullptr;
    QHash<QString, QWidget*> m_fields;
    QHash<QString, QLabel*> m_errors;
    QHash<QString, QWidget*> m_rows;
    QString m_created;
};

} // namespace otalab::app
