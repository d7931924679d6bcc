// SPDX-License-Identifier: Apache-2.0
// SMP over a serial console: mcumgr base64 line framing on a QSerialPort, paced line by line.
#include "serial_transport.h"

#include "plugins/common/option_reader.h"
#include "port_open_failure.h"

#include <QFileInfo>

namespace otalab::plugins::serial {

using core::transport::ConnectionSpec;

Result<SerialOptions> parseSerialOptions(const ConnectionSpec& spec)
{
    SerialOptions options;
    options.port = spec.target.trimmed();
    if (options.port.isEmpty())
        return fail(QStringLiteral("serial: no port given; write serial:/dev/ttyACM0 (list ports with `otalab-cli smp ports`)"));
    OptionReader reader(QStringLiteral("serial"), spec.options);
    options.baud = reader.integer(QStringLiteral("baud"), 115200, 50, 12'000'000);
    const QString flow = reader.choice(QStringLiteral("flow"), QStringLiteral("none"),
                                       {QStringLiteral("none"), QStringLiteral("rtscts"), QStringLiteral("hw"),
                                        QStringLiteral("xonxoff"), QStringLiteral("sw")});
    options.flow = flow == QLatin1String("none") ? QSerialPort::NoFlowControl
                   : (flow == QLatin1String("rtscts") || flow == QLatin1String("hw")) ? QSerialPort::HardwareControl
                                                                                       : QSerialPort::SoftwareControl;
    const QString parity = reader.choice(QStringLiteral("parity"), QStringLiteral("none"),
                                         {QStringLiteral("none"), QStringLiteral("even"), QStringLiteral("odd"),
                                          QStringLiteral("mark"), QStringLiteral("space")});
    options.parity = parity == QLatin1String("even")  ? QSerialPort::EvenParity
                     : parity == QLatin1String("odd")  ? QSerialPort::OddParity
                     : parity == QLatin1String("mark") ? QSerialPort::MarkParity
                     : parity == QLatin1String("space") ? QSerialPort::SpaceParity
                                                        : QSerialPort::NoParity;
    options.dataBits = QSerialPort::DataBits(reader.integer(QStringLiteral("data"), 8, 5, 8));
    const QString stop = reader.choice(QStringLiteral("stop"), QStringLiteral("1"),
                                       {QStringLiteral("1"), QStringLiteral("1.5"), QStringLiteral("2")});
    options.stopBits = stop == QLatin1String("2")     ? QSerialPort::TwoStop
                       : stop == QLatin1String("1.5") ? QSerialPort::OneAndHalfStop
                                                      : QSerialPort::OneStop;
    options.paceUs = reader.integer(QStringLiteral("pace_us"), spec.serve ? 0 : 1000, 0, 1'000'000);
    // The shortest useful line holds the 2-byte marker, 4 base64 characters and '\n'.
    options.lineLength = reader.integer(QStringLiteral("line"), core::smp::kSerialMaxLine, 8, 4096);
    if (auto ok = reader.finish(); !ok)
        return fail(ok.error());
    return options;
}

SerialTransport::SerialTransport(SerialOptions options, bool serve, QObject* parent)
    : QueuedOpenTransport(parent), m_options(std::move(options)), m_serve(serve), m_port(new QSerialPort(this))
{
    m_gap.setSingleShot(true);
    m_gap.setTimerType(Qt::PreciseTimer);
    connect(&m_gap, &QTimer::timeout, this, &SerialTransport::writeNextLine);
    connect(m_port, &QSerialPort::readyRead, this, &SerialTransport::onReadyRead);
    connect(m_port, &QSerialPort::bytesWritten, this, &SerialTransport::onBytesWritten);
    connect(m_port, &QSerialPort::errorOccurred, this, &SerialTransport::onPortError);
}

SerialTransport::~SerialTransport()
{
    m_port->disconnect(this);
    if (m_port->isOpen())
        m_port->close();
}

QString SerialTransport::describe() const
{
    return QStringLiteral("serial %1 @ %2%3").arg(m_options.port).arg(m_options.baud)
        .arg(m_serve ? QStringLiteral(" (serving)") : QString());
}

void SerialTransport::openNow()
{
    const QString& name = m_options.port;
    m_port->setPortName(name);
    if (!m_port->open(QIODevice::ReadWrite)) {
        QString why;
        switch (m_port->error()) {
        case QSerialPort::DeviceNotFoundError:
            why = QStringLiteral("there is no serial port %1: check the cable and the board's power, "
                                 "or list ports with `otalab-cli smp ports`").arg(name);
            break;
        case QSerialPort::PermissionError:
            // Qt says "permission" for a port another program holds (its lock file, or
            // TIOCEXCL → EBUSY) as well: find out which it is.
            why = QFileInfo::exists(portSystemLocation(name))
                ? describePortOpenFailure(name, diagnosePort(name), m_port->errorString())
                : QStringLiteral("there is no serial port %1: check the cable and the board's power").arg(name);
            break;
        case QSerialPort::OpenError:
            why = QStringLiteral("%1 is already open (another terminal or mcumgr?): %2").arg(name, m_port->errorString());
            break;
        default:
            why = QStringLiteral("cannot open %1: %2").arg(name, m_port->errorString());
        }
        shutDown(why);
        return;
    }
    const bool configured = m_port->setBaudRate(m_options.baud) && m_port->setDataBits(m_options.dataBits)
        && m_port->setParity(m_options.parity) && m_port->setStopBits(m_options.stopBits)
        && m_port->setFlowControl(m_options.flow);
    if (!configured) {
        shutDown(QStringLiteral("cannot configure %1 for %2 baud, %3 data bits: %4")
                     .arg(name).arg(m_options.baud).arg(int(m_options.dataBits)).arg(m_port->errorString()));
        return;
    }
    m_decoder.reset();
    m_lines.clear();
    m_lineUnwritten = 0;
    setState(State::Open);
    if (m_port->bytesAvailable() > 0)
        onReadyRead();
}

void SerialTransport::close()
{
    teardown();
    setState(State::Closed);
}

void SerialTransport::teardown()
{
    invalidatePendingOpen();
    m_gap.stop();
    m_lines.clear();
    m_lineUnwritten = 0;
    if (m_port->isOpen())
        m_port->close();
    m_decoder.reset();
}

void SerialTransport::shutDown(const QString& message)
{
    teardown();
    Q_EMIT errorOccurred(message);
    setState(State::Closed);
}

bool SerialTransport::send(const QByteArray& packet)
{
    if (m_state != State::Open) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send: serial port %1 is not open").arg(m_options.port));
        return false;
    }
    if (packet.size() > maxPacketSize()) {
        Q_EMIT errorOccurred(QStringLiteral("cannot send a %1-byte packet over serial: the frame length field "
                                            "allows %2 bytes").arg(packet.size()).arg(maxPacketSize()));
        return false;
    }
    m_lines.append(core::smp::encodeSerialFrame(packet, m_options.lineLength));
    writeNextLine();
    return true;
}

bool SerialTransport::sendConsoleText(const QByteArray& text)
{
    if (m_state != State::Open)
        return false;
    m_lines.append(text.endsWith('\n') ? text : text + '\n');
    writeNextLine();
    return true;
}

void SerialTransport::writeNextLine()
{
    if (m_state != State::Open || m_lineUnwritten > 0 || m_gap.isActive() || m_lines.isEmpty())
        return;
    const QByteArray line = m_lines.takeFirst();
    m_lineUnwritten = line.size();
    if (m_port->write(line) != line.size()) {
        shutDown(QStringLiteral("cannot write to %1: %2").arg(m_options.port, m_port->errorString()));
        return;
    }
    Q_EMIT wireBytes(line.size(), 0);
}

void SerialTransport::onBytesWritten(qint64 bytes)
{
    m_lineUnwritten -= bytes;
    if (m_lineUnwritten > 0)
        return;
    m_lineUnwritten = 0;
    if (m_options.paceUs > 0 && !m_lines.isEmpty())
        m_gap.start((m_options.paceUs + 999) / 1000);
    else
        writeNextLine();
}

void SerialTransport::onReadyRead()
{
    const QByteArray bytes = m_port->readAll();
    if (bytes.isEmpty())
        return;
    Q_EMIT wireBytes(0, bytes.size());
    QList<core::smp::SerialFrameDecoder::Event> events;
    m_decoder.feed(bytes, events);
    for (auto& event : events) {
        if (m_state != State::Open)
            return;   // a receiver closed us mid-batch
        if (auto* packet = std::get_if<core::smp::SerialFrameDecoder::PacketReceived>(&event)) {
            Q_EMIT packetReceived(packet->packet);
        } else if (auto* text = std::get_if<core::smp::SerialFrameDecoder::LogText>(&event)) {
            QByteArray line = text->text;
            while (line.endsWith('\n') || line.endsWith('\r'))
                line.chop(1);
            Q_EMIT logText(QString::fromUtf8(line));
        } else if (auto* error = std::get_if<core::smp::SerialFrameDecoder::FrameError>(&event)) {
            Q_EMIT errorOccurred(QStringLiteral("dropped a garbled frame from %1 (%2); the request is retried, "
                                                "lower the baud rate or raise pace_us if this repeats")
                                     .arg(m_options.port, error->message));
        }
    }
}

void SerialTransport::onPortError(QSerialPort::SerialPortError error)
{
    if (error == QSerialPort::NoError || m_state != State::Open)
        return;   // open failures are reported by openNow()
    if (error == QSerialPort::ResourceError || error == QSerialPort::ReadError || error == QSerialPort::WriteError) {
        shutDown(QStringLiteral("the board at %1 disappeared (unplugged or resetting): %2; it is reopened when "
                                "it comes back, otherwise check the cable")
                     .arg(m_options.port, m_port->errorString()));
        return;
    }
    if (error == QSerialPort::TimeoutError)
        return;
    Q_EMIT errorOccurred(QStringLiteral("serial port %1: %2").arg(m_options.port, m_port->errorString()));
    m_port->clearError();
}

} // namespace otalab::plugins::serial
