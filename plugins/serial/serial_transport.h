// SPDX-License-Identifier: Apache-2.0
// SMP over a serial console: mcumgr base64 line framing on a QSerialPort, paced line by line.
#pragma once

#include "core/smp/serial_framing.h"
#include "plugins/common/queued_open_transport.h"

#include <QSerialPort>
#include <QTimer>

namespace otalab::plugins::serial {

// Options of "serial:PORT,baud=…,flow=…,parity=…,data=…,stop=…,pace_us=…,line=…".
struct SerialOptions {
    QString port;                                   // "/dev/ttyACM0", "ttyACM0", a pty link
    qint32 baud = 115200;
    QSerialPort::FlowControl flow = QSerialPort::NoFlowControl;   // flow=none|rtscts|xonxoff
    QSerialPort::Parity parity = QSerialPort::NoParity;           // parity=none|even|odd|mark|space
    QSerialPort::DataBits dataBits = QSerialPort::Data8;          // data=5..8
    QSerialPort::StopBits stopBits = QSerialPort::OneStop;        // stop=1|1.5|2
    // Gap after the OS has taken one console line before the next is written, in µs,
    // rounded up to whole milliseconds (Qt timers). Zephyr's UART SMP receiver has two
    // 128-byte line buffers and drops lines that arrive while both are full; over USB CDC
    // lines otherwise arrive back to back. Default 1000 as a client, 0 when serving.
    int paceUs = 1000;
    int lineLength = core::smp::kSerialMaxLine;     // line=… (console line incl. markers)
};

Result<SerialOptions> parseSerialOptions(const core::transport::ConnectionSpec& spec);

class SerialTransport final : public QueuedOpenTransport {
    Q_OBJECT
public:
    SerialTransport(SerialOptions options, bool serve, QObject* parent);
    ~SerialTransport() override;

    void close() override;
    bool send(const QByteArray& packet) override;
    // The frame's u16 length covers packet + CRC: 65533 bytes at most.
    int maxPacketSize() const override { return 0xffff - 2; }
    int mtu() const override { return m_options.lineLength; }
    QString describe() const override;

    // Console text (device log lines), written between frame lines in the same paced
    // queue, like a board's log sharing the UART with SMP. A '\n' is added when missing.
    // Reached through the meta-object (`otalab-cli target serve`); false when not open.
    Q_INVOKABLE bool sendConsoleText(const QByteArray& text);

private:
    void openNow() override;
    void onReadyRead();
    void onBytesWritten(qint64 bytes);
    void onPortError(QSerialPort::SerialPortError error);
    void writeNextLine();
    void teardown();                          // port closed, queues dropped; no signal
    void shutDown(const QString& message);    // teardown, errorOccurred, Closed

    SerialOptions m_options;
    bool m_serve = false;
    QSerialPort* m_port = nullptr;
    core::smp::SerialFrameDecoder m_decoder;
    QList<QByteArray> m_lines;      // console lines waiting to be written, in order
    qint64 m_lineUnwritten = 0;     // bytes of the current line the OS has not taken yet
    QTimer m_gap;                   // inter-line pacing gap
};

} // namespace otalab::plugins::serial
