using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// The native settings under which LossLab's numbers are reproducible, applied once per process.
/// <list type="bullet">
/// <item><b>oneDNN convolutions are turned off.</b> libtorch 2.10.0's bundled oneDNN 3.7.1 computes wrong input
/// gradients of <c>conv2d</c> for small channel counts (e.g. 4 → 8 channels on 8×8 images: 60 % relative error) with
/// its AVX-512 and AVX2 kernels, and reads uninitialised padding, so that the result changes from run to run and is
/// sometimes NaN. With oneDNN off, libtorch uses its own convolution (im2col + GEMM), which matches float64 to 1e-6.
/// See environment.md, "Same seed, same numbers".</item>
/// <item><b>The thread count</b>: <c>LOSSLAB_THREADS</c>, else 1 (see <see cref="Threads"/>).</item>
/// <item><b>The CPU mode</b> (<c>LOSSLAB_CPU_MODE</c>): <see cref="CpuMode.Portable"/> pins ATen's vector kernels to
/// AVX2 (<c>ATEN_CPU_CAPABILITY=avx2</c>) and MKL to its AVX2 code path (<c>MKL_CBWR=AVX2</c>), so that an AVX-512
/// Intel and an AVX2-only AMD machine run the same kernels; <see cref="CpuMode.Fast"/> lets both dispatch to the
/// widest instructions of the CPU. Variables the user set explicitly are left alone.</item>
/// <item><b>The native heap keeps what it frees</b> (glibc on Linux). By default glibc serves each block of 128 KB or
/// more with a fresh <c>mmap</c> and returns it on free, and gives back the top of the heap past 128 KB, so a training
/// step that allocates and frees the same tensors every time faults every page of them in again: on a small model the
/// kernel's page-fault work was most of the step (a 400-step Markov LM run with 40 held-out evaluations: 2.6 s → 0.57 s).
/// LossLab sets <c>M_MMAP_THRESHOLD</c> to glibc's maximum, 32 MB, and <c>M_TRIM_THRESHOLD</c> to 1 GB, so freed
/// blocks are reused. The numbers do not change (torch aligns every block the same way); the process's resident memory
/// stays near its peak instead of falling back. Left alone when <c>MALLOC_MMAP_THRESHOLD_</c>,
/// <c>MALLOC_TRIM_THRESHOLD_</c> or <c>GLIBC_TUNABLES</c> is set, and when the process runs on jemalloc, which
/// <c>losslab run</c> preloads where the system has it (<see cref="NativeAllocator"/>). See <see cref="NativeHeap"/>
/// and, for the threads' own arenas, <see cref="ArenaVariables"/>.</item>
/// </list>
/// The environment part runs when the LossLab assembly is first used (libtorch reads those variables once, at its first
/// operation); <see cref="EnsureConfigured"/> does the rest and is called by <see cref="Seeds.Fix"/>,
/// <see cref="Threads.Set"/>, <see cref="Devices.Choose(string?)"/>, the models and the notebook engine.
/// </summary>
public static class TorchRuntime
{
    /// <summary>The environment variable that selects the CPU mode: <c>portable</c> (default) or <c>fast</c>.</summary>
    public const string ModeVariable = "LOSSLAB_CPU_MODE";

    /// <summary>libtorch's variable for the ATen kernel ISA (default, avx2, avx512).</summary>
    public const string CapabilityVariable = "ATEN_CPU_CAPABILITY";

    /// <summary>MKL's conditional-numerical-reproducibility variable.</summary>
    public const string MklCbwrVariable = "MKL_CBWR";

    static readonly object Gate = new();
    static bool configured;
    static string oneDnnConvolutions = "not configured yet";
    static readonly Dictionary<string, string> Applied = [];

    /// <summary>The CPU mode this process runs in.</summary>
    public static CpuMode Mode { get; private set; } = CpuMode.Portable;

    /// <summary>glibc's <c>M_MMAP_THRESHOLD</c> parameter for <c>mallopt</c>.</summary>
    const int MallocMmapThreshold = -3;

    /// <summary>glibc's <c>M_TRIM_THRESHOLD</c> parameter for <c>mallopt</c>.</summary>
    const int MallocTrimThreshold = -1;

    /// <summary>glibc's variables that set the heap; when one is set, LossLab leaves the heap alone.</summary>
    internal static readonly string[] HeapVariables = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"];

    /// <summary>glibc's variables that set the number of malloc arenas. glibc reads them when the process's first thread
    /// starts, long before LossLab is loaded, so <c>losslab run</c> sets <c>MALLOC_ARENA_MAX=1</c> for each notebook's
    /// process that runs on glibc's malloc (<see cref="NativeAllocator"/>) unless one of these is set: with one arena the cell thread allocates from the main heap, which keeps what
    /// it frees, instead of from 64 MB thread heaps that glibc unmaps as soon as they are empty.</summary>
    public static IReadOnlyList<string> ArenaVariables { get; } = [ArenaVariable, "GLIBC_TUNABLES"];

    /// <summary>glibc's variable for the number of malloc arenas.</summary>
    public const string ArenaVariable = "MALLOC_ARENA_MAX";

    /// <summary>How the native heap was set: "keeps freed blocks (…)", or why it was left as it was.</summary>
    public static string NativeHeap { get; private set; } = "not configured yet";

    /// <summary>Whether oneDNN convolutions are off ("off"), or why they could not be turned off.</summary>
    public static string OneDnnConvolutions { get { lock (Gate) return oneDnnConvolutions; } }

    /// <summary>Sets the native environment for the CPU mode before libtorch reads it. Runs when the assembly is first
    /// used; never throws (a bad <c>LOSSLAB_CPU_MODE</c> is reported by <see cref="EnsureConfigured"/>).</summary>
#pragma warning disable CA2255 // a module initializer is the only hook that runs before libtorch reads its environment
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyEnvironment()
    {
        NativeHeap = ConfigureNativeHeap();
        try
        {
            Mode = ParseMode(Environment.GetEnvironmentVariable(ModeVariable));
        }
        catch (ArgumentException)
        {
            return;
        }
        if (Mode != CpuMode.Portable || !OperatingSystem.IsLinux()) return;
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) return;   // nothing to pin below AVX2
        SetIfUnset(CapabilityVariable, "avx2");
        SetIfUnset(MklCbwrVariable, "AVX2");
    }

    static string ConfigureNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return "the platform's (not glibc)";
        if (NativeAllocator.DescribeJemalloc() is { } jemalloc) return jemalloc;   // glibc's malloc is not used
        foreach (var name in HeapVariables)
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return $"left as set by {name}";
        const int mmapAbove = 32 << 20, trimAbove = 1 << 30;
        if (!NativeContext.SetMallocOption(MallocMmapThreshold, mmapAbove) || !NativeContext.SetMallocOption(MallocTrimThreshold, trimAbove))
            return "glibc's defaults (mallopt is missing or refused the values)";
        var arenas = Environment.GetEnvironmentVariable(ArenaVariable);
        return "keeps freed blocks (mmap threshold 32 MB, trim threshold 1 GB)" + (string.IsNullOrEmpty(arenas) ? "" : $", {ArenaVariable}={arenas}");
    }

    /// <summary>Parses a CPU mode name (case-insensitive; null or empty is the default, portable).</summary>
    /// <exception cref="ArgumentException">The name is neither portable nor fast.</exception>
    public static CpuMode ParseMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "portable" => CpuMode.Portable,
        "fast" => CpuMode.Fast,
        _ => throw new ArgumentException($"{ModeVariable} must be 'portable' or 'fast'; got '{text}'.", nameof(text)),
    };

    /// <summary>Loads libtorch and applies the settings that need it: oneDNN convolutions off, and torch's thread count
    /// from <c>LOSSLAB_THREADS</c> (1 when unset; see <see cref="Threads"/>) on the calling thread. Idempotent and
    /// thread-safe; cheap after the first call.</summary>
    /// <exception cref="ArgumentException"><c>LOSSLAB_CPU_MODE</c> is neither portable nor fast.</exception>
    /// <exception cref="InvalidOperationException"><c>LOSSLAB_THREADS</c> is set but is not a positive integer.</exception>
    public static void EnsureConfigured()
    {
        if (Volatile.Read(ref configured)) return;
        lock (Gate)
        {
            if (configured) return;
            _ = ParseMode(Environment.GetEnvironmentVariable(ModeVariable));
            int threads = Threads.Configured;
            torch.InitializeDeviceType(DeviceType.CPU);
            oneDnnConvolutions = NativeContext.DisableOneDnn();
            torch.set_num_threads(threads);
            Volatile.Write(ref configured, true);
        }
    }

    /// <summary>What a run records about the native numerics: CPU model, the ISA libtorch dispatches to, thread counts,
    /// the CPU mode and the variables that pin it, and whether oneDNN convolutions are off.</summary>
    public static IReadOnlyDictionary<string, string> Describe()
    {
        EnsureConfigured();
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpu"] = CpuModel(),
            ["cpu_mode"] = Mode.ToString().ToLowerInvariant(),
            ["aten_capability"] = NativeContext.CpuCapability(),
            ["torch_threads"] = torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["torch_interop_threads"] = torch.get_num_interop_threads().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["onednn_convolutions"] = OneDnnConvolutions,
            ["native_heap"] = NativeHeap,
            ["avx512"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "yes" : "no",
        };
        foreach (var name in new[] { CapabilityVariable, MklCbwrVariable, "OMP_NUM_THREADS", "MKL_NUM_THREADS", "ONEDNN_MAX_CPU_ISA" })
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (!string.IsNullOrEmpty(value)) d["env:" + name] = value + (Applied.ContainsKey(name) ? " (set by LossLab)" : "");
        }
        return d;
    }

    /// <summary>The CPU's model name from /proc/cpuinfo (Linux), else the processor architecture.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int i and > 0)
                        return line[(i + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    static void SetIfUnset(string name, string value)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) return;
        // .NET keeps its own copy of the environment on Unix: set both it (inherited by child processes) and the C
        // library's (read by libtorch and MKL).
        Environment.SetEnvironmentVariable(name, value);
        if (NativeContext.SetNativeEnvironment(name, value)) Applied[name] = value;
    }
}

/// <summary>How LossLab treats the CPU's instruction sets (see <see cref="TorchRuntime"/>).</summary>
public enum CpuMode
{
    /// <summary>ATen and MKL pinned to AVX2 so that results agree across x64 CPUs with AVX2 or AVX-512.</summary>
    Portable,
    /// <summary>Kernels dispatch to the widest instruction set of the CPU.</summary>
    Fast,
}
