// SPDX-License-Identifier: Apache-2.0
// SmpSerialLink: SMP over a UART console (mcumgr serial framing) at a real baud rate.
#pragma once

#include "core/smp/serial_framing.h"
#include "sim/kernel/randomstream.h"
#include "sim/smp/smplink.h"

namespace otalab::sim {

struct SmpSerialLinkConfig {
    int baud = 115200;
    int bitsPerByte = 10;                  // 8N1: start bit + 8 data bits + stop bit
    // Gap the host leaves after each console line (the serial plugin's pace_us); 0 =
    // lines back to back, as a USB CDC or FTDI bridge delivers them.
    SimTime hostLineGap = SimTime::zero();
    int lineLength = core::smp::kSerialMaxLine;   // console line the host writes, markers and '\n' included
    // The board's UART receiver (Zephyr drivers/console/uart_mcumgr.c): each console line
    // is collected into one of CONFIG_UART_MCUMGR_RX_BUF_COUNT buffers of
    // CONFIG_UART_MCUMGR_RX_BUF_SIZE bytes (Kconfig defaults 2 and 128). A line that
    // starts while no buffer is free, or that is longer than a buffer, is dropped whole.
    // A finished line is base64-decoded on the system work queue
    // (smp_uart.c → mcumgr_serial_process_frag()), which frees its buffer.
    int rxBufCount = 2;
    int rxBufSize = 128;
    SimTime lineDecodeTime = SimTime::fromMicros(50);   // assumed: ~124 base64 characters on a 64 MHz Cortex-M4
    // The port is the board's own USB CDC ACM interface (nRF52840 dongle, many Zephyr
    // boards): it vanishes while the board resets. false: a UART behind a debug probe
    // (J-Link VCOM), which stays open while the board restarts.
    bool usbCdc = true;
    // Probability that a byte on the wire (either way) arrives altered; '\n' keeps the
    // line structure (see corruptBytes), so noise shows as CRC and base64 errors.
    double byteErrorRate = 0;
};

// Host → board: each packet through encodeSerialFrame() into console lines sent at the
// baud rate (full duplex: the two directions do not wait for each other); the board
// collects lines into its line buffers and feeds them to a SerialFrameDecoder (the same
// decoder the host uses), which yields the checked packet. Board → host: the response
// framed the same way, sent at the baud rate while the board's SMP thread waits
// (uart_poll_out), decoded by the host's SerialFrameDecoder when its last byte arrives.
// Timing is exact to the nanosecond: N bytes take N × bitsPerByte / baud seconds.
class SmpSerialLink final : public SmpLink {
public:
    // The noise streams derive from sim.seed(): set the seed first.
    SmpSerialLink(Simulator& sim, NodeId node, SmpSerialLinkConfig config = {});

    bool dropsOnReset() const override { return m_config.usbCdc; }
    void sendTextFromDevice(const QByteArray& text) override;
    int maxPacketSize() const override { return 0xffff - 2; }   // the frame's u16 length covers packet + CRC
    int mtu() const override { return m_config.lineLength; }
    QString describe() const override;

    const SmpSerialLinkConfig& config() const { return m_config; }
    // Time N bytes take on the wire.
    SimTime wireTime(std::int64_t bytes) const;

    void handleEvent(Simulator& sim, const Event& event) override;

private:
    enum Kind : std::uint32_t { LineStart = 1, LineEnd = 2, LineDecoded = 3, ToHost = 4 };
    struct Line {
        QByteArray bytes;
        bool ignored = false;   // no line buffer was free, or the line is too long
    };
    // One UART transmitter. Bytes sent back to back form a burst timed from its start, so
    // rounding to the nanosecond happens once per burst, not once per line.
    struct Transmitter {
        SimTime burstStart;
        std::int64_t burstBytes = 0;
        SimTime burstEnd;       // the last byte of the burst is out
        SimTime nextStart;      // burstEnd + the pacing gap
    };
    // Occupies `tx` for `bytes` from now (or when it is free); returns the time the last
    // byte is out, and the first byte's in `firstByte`.
    SimTime occupy(Transmitter& tx, std::int64_t bytes, SimTime gapAfter, SimTime* firstByte = nullptr);

    void transmitFromHost(const QByteArray& packet) override;
    SimTime transmitFromDevice(const QByteArray& packet) override;
    void onFlush() override;
    SimTime sendToHost(QByteArray bytes);
    void onLineStart(std::uint64_t id);
    void onLineEnd(std::uint64_t id);
    void onLineDecoded(std::uint64_t id);
    void onToHost(std::uint64_t id);

    SmpSerialLinkConfig m_config;
    RandomStream m_noiseUp;
    RandomStream m_noiseDown;
    Transmitter m_hostTx;       // the host's UART transmitter
    Transmitter m_deviceTx;     // the board's
    SimTime m_workFree;         // the board's system work queue (line decoding)
    int m_rxFree = 0;           // free line buffers on the board
    SmpPendingMap<Line> m_lines;
    SmpPendingMap<QByteArray> m_toHost;
    core::smp::SerialFrameDecoder m_deviceDecoder;
    core::smp::SerialFrameDecoder m_hostDecoder;
};

} // namespace otalab::sim
