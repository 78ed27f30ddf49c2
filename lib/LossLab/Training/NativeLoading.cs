using System.Runtime.InteropServices;

namespace LossLab.Training;

/// <summary>
/// Makes TorchSharp load the native shim from LossLab's own build output when the process hosting LossLab did not bring
/// TorchSharp's natives itself: the .NET Interactive kernel (VS Code, Jupyter) loads <c>LossLab.dll</c> by <c>#r</c> and
/// has no deps.json naming them. The Release output of <c>lib/LossLab</c> carries <c>runtimes/&lt;rid&gt;/native/</c>,
/// whose <c>libLibTorchSharp.so</c> the build patched for Debian 12 (its GLIBCXX_3.4.32 requirement made weak; see
/// environment.md). Loading that file by its full path first means that TorchSharp's own loads by name
/// (<c>torch_cpu</c>, <c>LibTorchSharp</c>) find the libraries already in the process, by their sonames, instead of the
/// unpatched copy in the NuGet cache, which the loader refuses on Debian 12.
/// </summary>
public static class NativeLoading
{
    static readonly object Gate = new();
    static bool attempted;
    static string status = "not attempted";

    /// <summary>What <see cref="PreloadTorchSharpNative"/> did: "host provides the natives", "no natives beside LossLab.dll",
    /// "loaded PATH", or why the load failed.</summary>
    public static string Status { get { lock (Gate) return status; } }

    /// <summary>The native folder of this platform beside <paramref name="assemblyDirectory"/>, e.g.
    /// <c>runtimes/linux-x64/native</c>; null off Linux and macOS.</summary>
    public static string? NativeDirectory(string assemblyDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyDirectory);
        string? os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "osx" : null;
        if (os is null) return null;
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return Path.Combine(assemblyDirectory, "runtimes", $"{os}-{arch}", "native");
    }

    /// <summary>True when <paramref name="directory"/> is one of the host's native search directories (the folders of the
    /// native assets its deps.json lists), i.e. the host loads TorchSharp's natives from there by itself.</summary>
    public static bool HostSearches(string directory, string? nativeSearchDirectories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (string.IsNullOrEmpty(nativeSearchDirectories)) return false;
        string want = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return nativeSearchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(d => string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)), want, StringComparison.Ordinal));
    }

    /// <summary>Loads <c>libLibTorchSharp</c> (and through it libtorch) from the native folder beside LossLab.dll, once per
    /// process, unless the host's own native search directories already include that folder. Sets the CPU-mode
    /// environment first (<see cref="TorchRuntime"/>), as libtorch must see it. Never throws; see <see cref="Status"/>.</summary>
    public static void PreloadTorchSharpNative()
    {
        lock (Gate)
        {
            if (attempted) return;
            attempted = true;
            try
            {
                status = Preload();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or BadImageFormatException
                                          or DllNotFoundException or InvalidOperationException or NotSupportedException)
            {
                status = "failed: " + e.Message;
            }
        }
    }

    static string Preload()
    {
        string location = typeof(NativeLoading).Assembly.Location;
        if (string.IsNullOrEmpty(location)) return "LossLab.dll has no file location";
        var native = NativeDirectory(Path.GetDirectoryName(location)!);
        if (native is null) return "no native folder on this OS";
        string file = Path.Combine(native, OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so");
        if (!File.Exists(file)) return "no natives beside LossLab.dll";
        if (HostSearches(native, AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string)) return "host provides the natives";
        TorchRuntime.ApplyEnvironment();
        return NativeLibrary.TryLoad(file, out _) ? "loaded " + file : "failed to load " + file;
    }
}
