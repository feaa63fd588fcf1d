#!/usr/bin/env bash
# Boots a Tessera GRUB ISO in Bochs, the VMX test platform.
#
#   bochs.sh --iso ISO [--cpus N (1)] [--model tigerlake] [--bochs 3|2.7 (3)]
#            [--megs M (256)] [--timeout S (120)] [--log FILE] [--stream]
#            [--input FILE [--input-after REGEX]] [--script FILE] [--quiet-info]
#            [--msrs FILE]
#
# --bochs 3   ~/.cache/tessera/bochs-3.0/bin/bochs (make deps builds it), nogui;
# --bochs 2.7 Debian's /usr/bin/bochs: no nogui, so an RFB display that waits for
#             no viewer (Bochs binds the first free port in 5900-5949 itself), and
#             its built-in debugger is told to continue with -rc.
# COM1 goes to --log FILE (default: a temp dir); the bochsrc, Bochs's own log
# and stdout go to the run directory FILE's name minus ".log" plus ".bochs/".
# Every run has its own directory, so runs may go in parallel.
# --input: COM1 becomes a TCP server on localhost (Bochs's mode=socket-server;
# its mode=file only writes), this script its client: what arrives goes to the
# log as before, and FILE's bytes are typed once a log line (CRs removed)
# matches REGEX (default: at once). Bochs takes them as fast as its UART does.
# --script: the same socket, driven as a conversation. FILE has one step a line:
#   expect REGEX   wait (at most SCRIPT_STEP_S, default 120 s) for a log line
#                  (CRs removed) matching REGEX among those that arrived since
#                  the last `send`;
#   send TEXT      type TEXT, with printf %b escapes (\r, \001, ...);
# '#' lines and blank lines are skipped. A step that times out is reported
# ("bochs.sh: script line N: ...") and Bochs is stopped: the run ends then.
#
# --quiet-info: Bochs's info messages are ignored, not logged (a Linux guest
# makes its CPUs log millions of "Clear Virtual Interrupt Vector" lines, and
# Bochs 3.0 has been seen to freeze in such a flood).
# --msrs FILE: Bochs's `cpu: msrs=` option, MSRs the model lacks as plain
# registers (tests/runners/bochs-pmu.msrs: the PMU and LBR MSRs, for pmu = on).
#
# Bochs's exit status is always 1, so the result is read from the serial log:
# the exit status is N from Tessera's last line "tessera: end, status N (name)";
# without that line, why (timeout, Bochs panic, triple fault...) and the last
# lines of both logs are printed and the status is 124 (timeout) or 125.
set -euo pipefail

die() {
	echo "bochs.sh: $*" >&2
	exit 125
}

iso="" cpus=1 model=tigerlake version=3 megs=256 timeout_s=120 log="" stream=0 quantum=16
input="" input_after="" script="" quiet_info=0 msrs=""
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--model) model=$2; shift 2 ;;
	--bochs) version=$2; shift 2 ;;
	--megs) megs=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--stream) stream=1; shift ;;
	--quantum) quantum=$2; shift 2 ;;
	--input) input=$2; shift 2 ;;
	--input-after) input_after=$2; shift 2 ;;
	--quiet-info) quiet_info=1; shift ;;
	--msrs) msrs=$2; shift 2 ;;
	--script) script=$2; shift 2 ;;
	*) die "unknown option $1 (see the header of $0)" ;;
	esac
done
[ -n "$iso" ] || die "give --iso ISO (make iso builds one)"
[ -f "$iso" ] || die "no such ISO: $iso"
for n in "$cpus" "$megs" "$timeout_s" "$quantum"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || die "not a positive number: $n"
done
[[ $model =~ ^[a-z0-9_]+$ ]] || die "not a Bochs CPU model name: $model"
[ -z "$input" ] || [ -f "$input" ] || die "no such input file: $input"
[ -z "$msrs" ] || [ -f "$msrs" ] || die "no such MSR file: $msrs"
msrs_opt=""
[ -z "$msrs" ] || msrs_opt=", msrs=\"$(cd "$(dirname "$msrs")" && pwd)/$(basename "$msrs")\""
[ -z "$script" ] || [ -f "$script" ] || die "no such script: $script"
[ -z "$input" ] || [ -z "$script" ] || die "--input and --script exclude each other"

case $version in
3 | 3.0)
	bochs="${TESSERA_CACHE:-$HOME/.cache/tessera}/bochs-3.0/bin/bochs"
	display="display_library: nogui"
	# Bochs 3.0 can deadlock when its once-a-second "ips" info line interrupts
	# another log write: nogui=ignore avoids it.
	info="info: action=report, nogui=ignore"
	sound=""
	;;
2.7)
	bochs=/usr/bin/bochs
	display='display_library: rfb, options="timeout=0"'
	info="info: action=report"
	sound="sound: driver=dummy" # its ALSA sound driver aborts on machines without a card
	;;
*) die "--bochs takes 3 or 2.7, not $version" ;;
esac
[ -x "$bochs" ] || die "no Bochs $version at $bochs (run: make deps)"
for f in /usr/share/bochs/BIOS-bochs-latest /usr/share/vgabios/vgabios.bin; do
	[ -f "$f" ] || die "missing $f (packages bochsbios and vgabios; run: make deps)"
done

[ "$quiet_info" = 0 ] || info="info: action=ignore"
if [ -n "$log" ]; then
	mkdir -p "$(dirname "$log")"
	log=$(realpath "$log")
	dir="${log%.log}.bochs"
	rm -rf "$dir"
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bochs.XXXXXX")
	log="$dir/com1.log"
fi
iso=$(realpath "$iso")
for p in "$iso" "$log" "$dir"; do
	[[ $p != *[\",]* ]] || die "a path with a quote or comma cannot go into a bochsrc: $p"
done
: >"$log"
if [ -n "$input$script" ]; then
	# A port of its own per run (runs go in parallel), free when Bochs binds it.
	port=$((20000 + ($$ % 20000)))
	com1="com1: enabled=1, mode=socket-server, dev=localhost:$port"
else
	com1="com1: enabled=1, mode=file, dev=\"$log\""
fi

# Known-good settings: a fatal panic action, #GP on unknown
# MSRs, a fixed clock for determinism, the 0xE9 port enabled, no speaker.
cat >"$dir/bochsrc" <<EOF
megs: $megs
romimage: file="/usr/share/bochs/BIOS-bochs-latest", options=fastboot
vgaromimage: file="/usr/share/vgabios/vgabios.bin"
cpu: model=$model, count=$cpus, quantum=$quantum, ips=50000000, reset_on_triple_fault=0, ignore_bad_msrs=0$msrs_opt
ata0-master: type=cdrom, path="$iso", status=inserted
boot: cdrom
$display
$com1
port_e9_hack: enabled=1
log: "$dir/bochs.log"
panic: action=fatal
error: action=report
$info
debug: action=ignore
mouse: enabled=0
speaker: enabled=0
$sound
clock: sync=none, time0=946684800
EOF
echo c >"$dir/debugger.rc"

# The COM1 client for --input: connects (Bochs waits for it before it starts),
# copies the serial output to the log, types FILE when REGEX shows up.
feed_console() {
	local i reader
	for ((i = 0; i < 300; i++)); do
		if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
			break
		fi
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	[ $i -lt 300 ] || { echo "bochs.sh: could not connect to COM1 at port $port" >&2; return 1; }
	cat <&3 >>"$log" 2>/dev/null & # "connection reset" when Bochs ends
	reader=$!
	if [ -n "$input_after" ]; then
		until tr -d '\r' <"$log" | grep -a -E -- "$input_after" >/dev/null; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
	fi
	if [ -n "$script" ]; then
		run_script || kill "$pid" 2>/dev/null
	else
		cat "$input" >&3 2>/dev/null || true
	fi
	wait "$reader"
}

# The --script conversation; false when a step failed.
run_script() {
	local n=0 step arg since=0 t0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		step=${line%% *}
		arg=${line#* }
		case $step in
		'' | '#'*) continue ;;
		send)
			since=$(stat -c %s "$log")
			printf '%b' "$arg" >&3 2>/dev/null || { echo "bochs.sh: script line $n: COM1 closed" >&2; return 1; }
			;;
		expect)
			t0=$SECONDS
			until tail -c +$((since + 1)) "$log" | tr -d '\r' | grep -a -E -- "$arg" >/dev/null; do
				if ! kill -0 "$pid" 2>/dev/null || ((SECONDS - t0 > ${SCRIPT_STEP_S:-120})); then
					echo "bochs.sh: script line $n: no line matching /$arg/ after $((SECONDS - t0)) s" >&2
					return 1
				fi
				sleep 0.2
			done
			;;
		*) echo "bochs.sh: script line $n: unknown step '$step' (expect or send)" >&2; return 1 ;;
		esac
	done <"$script"
}
bochs_args=(-q -f "$dir/bochsrc")
[ "$version" = 2.7 ] && bochs_args+=(-rc "$dir/debugger.rc")

set +e
timeout -k 5 "$timeout_s" "$bochs" "${bochs_args[@]}" </dev/null >"$dir/stdout" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; exit 130' INT TERM
feeder=""
if [ -n "$input$script" ]; then
	feed_console &
	feeder=$!
fi
if [ "$stream" = 1 ]; then
	# Ends by itself once Bochs (the timeout process) is gone, after a last read.
	tail -n +1 -F --pid=$pid "$log" 2>/dev/null
	# The last line may lack its newline (the UART was still sending when Bochs stopped).
	[ -z "$(tail -c 1 "$log")" ] || echo
fi
wait $pid
rc=$?
[ -z "$feeder" ] || wait "$feeder"
set -e

last_lines() {
	echo "--- last 30 lines of the serial log $log ---"
	tail -n 30 "$log" | tr -d '\r'
	echo "--- last 30 lines of $dir/bochs.log ---"
	tail -n 30 "$dir/bochs.log" 2>/dev/null || true
}

# Only Tessera's own line counts: it begins "[cpuN] " (a guest's lines begin
# "[NAME] ", and config names like cpuN are refused), so a guest printing the
# same words cannot decide the status.
end_line=$(tr -d '\r' <"$log" | grep -a -E -o '^\[cpu[0-9]+\] tessera: end, status [0-9]+' | tail -n 1 || true)
if [ -n "$end_line" ]; then
	status=${end_line##* }
	# A temp run directory is kept only when something went wrong.
	if [ "$status" = 0 ] && [ "$dir/com1.log" = "$log" ]; then
		rm -rf "$dir"
	fi
	exit "$status"
fi

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	echo "TIMEOUT after $timeout_s s (Bochs $version, no \"tessera: end\" line)"
	last_lines
	exit 124
fi
why=$(grep -a -h -m 3 -E '>>PANIC<<|PANIC|triple fault|exiting with the following message' \
	"$dir/bochs.log" "$dir/stdout" 2>/dev/null | tr -d '\r' | head -n 3 || true)
echo "bochs.sh: Bochs $version ended (status $rc) without Tessera's end line${why:+:}"
[ -z "$why" ] || echo "$why" | sed 's/^/    /'
grep -a -A1 'exiting with the following message' "$dir/stdout" 2>/dev/null |
	tail -n 1 | sed 's/^/    /' || true
last_lines
exit 125
