// SPDX-License-Identifier: Apache-2.0
// FieldErrorFrame: a red frame drawn around an input that holds an error, without restyling it.
#pragma once

#include <QPointer>
#include <QWidget>

namespace otalab::app {

// A transparent sibling laid over `target` (2 px around it) that follows its geometry
// and visibility. Style sheets would replace the native look of spin boxes and combo
// boxes (their arrows), so the frame is painted on top instead. GUI thread only.
class FieldErrorFrame final : public QWidget {
public:
    FieldErrorFrame();

    // Frames `target` (nullptr hides the frame).
    void attach(QWidget* target);
    QWidget* target() const { return m_target; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

private:
    void follow();

    QPointer<QWidget> m_target;
};

} // namespace otalab::app
