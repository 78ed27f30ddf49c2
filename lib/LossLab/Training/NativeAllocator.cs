using System.Runtime.InteropServices;

namespace LossLab.Training;

/// <summary>
/// Which <c>malloc</c> a notebook's process allocates its tensors with (Linux). libtorch allocates and frees every
/// intermediate tensor of every step through the C library's <c>malloc</c>, so the allocator is part of a step's cost:
/// <list type="bullet">
/// <item><b>jemalloc</b>, when the system has it (Debian and Ubuntu: <c>apt install libjemalloc2</c>; Fedora:
/// <c>dnf install jemalloc</c>): <c>losslab run</c> preloads it into each notebook's process (<c>LD_PRELOAD</c>) with
/// <see cref="JemallocSettings"/>, which keep freed pages for reuse as LossLab's glibc setting does
/// (<see cref="TorchRuntime"/>). Each thread allocates from its own arena, so a notebook whose seeds run on two worker
/// threads does not queue on one heap lock.</item>
/// <item><b>glibc</b> otherwise (or with <c>LOSSLAB_MALLOC=glibc</c>): one arena (<c>MALLOC_ARENA_MAX=1</c>), whose
/// freed blocks LossLab keeps (<see cref="TorchRuntime"/>).</item>
/// </list>
/// The numbers do not depend on the allocator: libtorch aligns every block to 64 bytes under either, and the suite's
/// claim records are identical. <c>LOSSLAB_MALLOC</c> chooses: <c>auto</c> (the default: jemalloc when found),
/// <c>glibc</c>, or the path of a jemalloc library. A user's own <c>LD_PRELOAD</c> or <c>MALLOC_CONF</c> is left alone.
/// The choice is made when a process starts, so it applies to <c>losslab run</c>'s notebook processes; an editor's
/// kernel runs with what its environment preloads (see environment.md).
/// </summary>
public static class NativeAllocator
{
    /// <summary>The variable that chooses the allocator: <c>auto</c> (or unset), <c>glibc</c>, or a library's path.</summary>
    public const string Variable = "LOSSLAB_MALLOC";

    /// <summary>The dynamic loader's variable that preloads a library into a process.</summary>
    public const string PreloadVariable = "LD_PRELOAD";

    /// <summary>jemalloc's settings variable.</summary>
    public const string SettingsVariable = "MALLOC_CONF";

    /// <summary>jemalloc's settings for training loops. <c>dirty_decay_ms:-1</c> and <c>muzzy_decay_ms:-1</c> keep freed
    /// pages mapped for reuse (by default jemalloc returns them to the system after 10 s, so a step's tensors were faulted
    /// in again); <c>oversize_threshold:0</c> serves blocks of 8 MB and more from the thread's arena like the others (by
    /// default they come from a dedicated arena that returns them at once: a Markov LM's logits, a distance matrix).
    /// Without these the default-scale suite ran 436 s against 330 s under glibc; with them, as fast as under glibc.</summary>
    public const string JemallocSettings = "oversize_threshold:0,dirty_decay_ms:-1,muzzy_decay_ms:-1";

    /// <summary>The file name of jemalloc's library, as distributions install it.</summary>
    public const string JemallocFile = "libjemalloc.so.2";

    /// <summary>Folders searched for <see cref="JemallocFile"/> under <c>auto</c>: the multiarch folders of Debian and
    /// Ubuntu, then Fedora's and RHEL's, Arch's, and a local install's.</summary>
    public static IReadOnlyList<string> SearchFolders { get; } =
    [
        "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/usr/lib", "/usr/local/lib",
    ];

    /// <summary>The variables <c>losslab run</c> sets for a notebook's process, from this process's environment and
    /// the system's files. See <see cref="ForNotebookProcess(Func{string, string?}, Func{string, bool}, bool)"/>.</summary>
    /// <exception cref="ArgumentException"><c>LOSSLAB_MALLOC</c> is neither <c>auto</c>, <c>glibc</c> nor the path
    /// of an existing file.</exception>
    public static IReadOnlyDictionary<string, string> ForNotebookProcess() =>
        ForNotebookProcess(Environment.GetEnvironmentVariable, File.Exists, OperatingSystem.IsLinux());

    /// <summary>
    /// The variables to set for a notebook's process:
    /// <list type="bullet">
    /// <item>none off Linux;</item>
    /// <item>jemalloc (<c>LD_PRELOAD</c>, and <c>MALLOC_CONF</c> = <see cref="JemallocSettings"/> unless set) when
    /// <c>LOSSLAB_MALLOC</c> names a library (put before the user's own <c>LD_PRELOAD</c>, if any), or when it is
    /// <c>auto</c> or unset, the user has not set <c>LD_PRELOAD</c> and <see cref="JemallocFile"/> is in one of
    /// <see cref="SearchFolders"/>;</item>
    /// <item>otherwise glibc's single arena, <c>MALLOC_ARENA_MAX=1</c>, unless <c>MALLOC_ARENA_MAX</c> or
    /// <c>GLIBC_TUNABLES</c> is set (see <see cref="TorchRuntime.ArenaVariables"/>).</item>
    /// </list>
    /// </summary>
    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <param name="fileExists">Whether a file exists.</param>
    /// <param name="linux">Whether the processes run on Linux.</param>
    /// <exception cref="ArgumentException"><c>LOSSLAB_MALLOC</c> is neither <c>auto</c>, <c>glibc</c> nor the path
    /// of an existing file.</exception>
    public static IReadOnlyDictionary<string, string> ForNotebookProcess(Func<string, string?> variable, Func<string, bool> fileExists, bool linux)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(fileExists);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var choice = variable(Variable)?.Trim();
        string? library = choice switch
        {
            null or "" or "auto" or "glibc" => null,
            _ when !Path.IsPathRooted(choice) => throw new ArgumentException(
                $"{Variable} must be 'auto', 'glibc' or the absolute path of a jemalloc library (e.g. /usr/lib/x86_64-linux-gnu/{JemallocFile}); got '{choice}'."),
            _ when !fileExists(choice) => throw new ArgumentException($"{Variable}={choice}: no such file."),
            _ => choice,
        };
        if (!linux) return result;
        var preloaded = variable(PreloadVariable);
        bool userPreloads = !string.IsNullOrEmpty(preloaded);
        if (library is null && choice != "glibc" && !userPreloads)   // auto: the user's own preload may be an allocator
            library = SearchFolders.Select(f => Path.Combine(f, JemallocFile)).FirstOrDefault(fileExists);
        if (library is not null)
        {
            result[PreloadVariable] = userPreloads ? library + ":" + preloaded : library;   // named explicitly: first
            if (string.IsNullOrEmpty(variable(SettingsVariable))) result[SettingsVariable] = JemallocSettings;
            return result;
        }
        if (TorchRuntime.ArenaVariables.All(v => string.IsNullOrEmpty(variable(v)))) result[TorchRuntime.ArenaVariable] = "1";
        return result;
    }

    /// <summary>The path of the jemalloc library this process allocates with, or null when it runs on another malloc.
    /// Read from the process's mapped files (<c>/proc/self/maps</c>) and confirmed by jemalloc's own entry point.</summary>
    public static string? ActiveJemalloc()
    {
        if (Mallctl.Value is null) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libjemalloc", StringComparison.Ordinal)) return line[slash..];
            }
        }
        catch (IOException) { }
        return "jemalloc";
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int MallctlFn([MarshalAs(UnmanagedType.LPUTF8Str)] string name, IntPtr oldValue, ref nuint oldLength, IntPtr newValue, nuint newLength);

    /// <summary>jemalloc's <c>mallctl</c> when this process runs on jemalloc (it is then in the global symbol scope, as a
    /// preloaded library is), else null; looked up once per process.</summary>
    static readonly Lazy<MallctlFn?> Mallctl = new(() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryGetExport(NativeLibrary.GetMainProgramHandle(), "mallctl", out var fn)
            ? Marshal.GetDelegateForFunctionPointer<MallctlFn>(fn) : null);

    /// <summary>Reads one of the running jemalloc's options (<c>mallctl</c>): <c>version</c> as text, a numeric option
    /// such as <c>opt.dirty_decay_ms</c> or <c>opt.oversize_threshold</c> as its decimal value; null when this process
    /// does not run on jemalloc or the option is unknown.</summary>
    /// <param name="name">The option's name, e.g. <c>opt.dirty_decay_ms</c>.</param>
    public static string? JemallocOption(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Mallctl.Value is not { } mallctl) return null;
        var slot = Marshal.AllocHGlobal(8);
        try
        {
            nuint length = 8;
            if (mallctl(name, slot, ref length, IntPtr.Zero, 0) != 0) return null;
            if (name == "version") return Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(slot));
            return length switch
            {
                8 => Marshal.ReadInt64(slot).ToString(System.Globalization.CultureInfo.InvariantCulture),
                4 => Marshal.ReadInt32(slot).ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => Marshal.ReadByte(slot).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        finally
        {
            Marshal.FreeHGlobal(slot);
        }
    }

    /// <summary>How the running jemalloc is set, for the runtime record: "jemalloc 5.3.0 (PATH; dirty_decay_ms -1,
    /// muzzy_decay_ms -1, oversize_threshold 0)"; null when this process does not run on jemalloc.</summary>
    internal static string? DescribeJemalloc()
    {
        if (ActiveJemalloc() is not { } path) return null;
        var version = JemallocOption("version") is { } v ? " " + v.Split('-')[0] : "";
        var options = string.Join(", ", new[] { "dirty_decay_ms", "muzzy_decay_ms", "oversize_threshold" }
            .Select(o => (o, value: JemallocOption("opt." + o))).Where(p => p.value is not null).Select(p => $"{p.o} {p.value}"));
        return $"jemalloc{version} ({path}{(options.Length > 0 ? "; " + options : "")})";
    }
}
