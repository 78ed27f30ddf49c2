using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LossLab.Cli.Commands;

/// <summary>SIGINT and SIGTERM for a batch run. The first stops the run: <see cref="Token"/> is cancelled, the notebook
/// processes in flight are killed (their cell in flight is then marked interrupted), no further notebook starts, and the
/// run writes its summary and site and exits 130 (SIGINT) or 143 (SIGTERM). A second SIGINT kills the notebook processes
/// and exits at once. A notebook's own process (<c>--progress-protocol</c>) ignores SIGINT, which a terminal's Ctrl-C
/// sends to the whole process group: its parent decides.</summary>
sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly ConcurrentDictionary<int, Process> children = new();
    readonly List<PosixSignalRegistration> registrations = [];
    readonly object gate = new();

    Interruption() { }

    /// <summary>Cancelled at the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>The first signal received, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal's number, as shells report it).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    /// <summary>"SIGINT" or "SIGTERM".</summary>
    public string SignalName => Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";

    /// <summary>Handles SIGINT and SIGTERM for a parent run.</summary>
    public static Interruption Listen()
    {
        var interruption = new Interruption();
        interruption.registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, interruption.On));
        interruption.registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, interruption.On));
        return interruption;
    }

    /// <summary>In a notebook's own process: SIGINT is left to the parent (which kills this process when it stops the run).</summary>
    public static IDisposable IgnoreSigint() => PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);

    /// <summary>The environment variable through which a run tells a notebook's process its own id.</summary>
    public const string ParentVariable = "LOSSLAB_PARENT_PID";

    [DllImport("libc", EntryPoint = "getppid")]
    static extern int GetParentProcessId();

    /// <summary>In a notebook's own process: calls <paramref name="orphaned"/> once, from a background thread, when the run
    /// that started this process is gone (killed with SIGKILL, say), so that the notebook does not run on unseen. The
    /// parent is <see cref="ParentVariable"/> (else the parent at start); the process is re-parented when it dies.</summary>
    public static Timer? WatchParent(Action orphaned)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null;
        int parent = int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var named) ? named : GetParentProcessId();
        int fired = 0;
        Timer? timer = null;
        timer = new Timer(_ =>
        {
            if (GetParentProcessId() == parent || Interlocked.Exchange(ref fired, 1) == 1) return;
            timer?.Dispose();
            orphaned();
        }, null, 0, 250);
        return timer;
    }

    /// <summary>Kills <paramref name="process"/> if the run is stopped while it runs.</summary>
    public IDisposable Track(Process process)
    {
        children[process.Id] = process;
        var registration = stop.Token.Register(() => Kill(process));
        return new Untrack(this, process.Id, registration);
    }

    void On(PosixSignalContext context)
    {
        context.Cancel = true;
        lock (gate)
        {
            if (Signal is null)
            {
                Signal = context.Signal;
                Console.Error.WriteLine($"losslab: {SignalName}: stopping the notebooks in flight and writing the record, the summary and the site " +
                                        "for what finished (Ctrl-C again to exit at once).");
                ThreadPool.QueueUserWorkItem(_ => stop.Cancel());
                return;
            }
            if (context.Signal != PosixSignal.SIGINT) return;
        }
        Console.Error.WriteLine("losslab: second SIGINT: exiting at once.");
        foreach (var p in children.Values) Kill(p);
        Environment.Exit(130);
    }

    static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        stop.Dispose();
    }

    sealed class Untrack(Interruption owner, int id, CancellationTokenRegistration registration) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            owner.children.TryRemove(id, out _);
        }
    }
}
