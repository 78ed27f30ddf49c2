using TorchSharp;

namespace LossLab.Training;

/// <summary>
/// Chooses the device that computations run on: the one asked for, else the <c>LOSSLAB_DEVICE</c> environment variable
/// (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>mps</c> or <c>auto</c>), else CUDA when libtorch can see a GPU, else the
/// CPU. A device that is named but not available is an error at once, with a message naming the device and the devices
/// this process can use: LossLab never falls back to the CPU silently.
/// </summary>
/// <remarks>CUDA needs the CUDA build of libtorch in the build output (<c>dotnet build -p:LossLabTorchBackend=TorchSharp-cuda-linux</c>)
/// and an NVIDIA driver; see environment.md, "Running on an NVIDIA GPU". The trainer, <see cref="Inference"/> and the
/// evaluation metrics follow the model's device and return CPU numbers.</remarks>
public static class Devices
{
    /// <summary>The environment variable that overrides the automatic choice ("cpu", "cuda", "cuda:1", "mps", "auto").</summary>
    public const string EnvironmentVariable = "LOSSLAB_DEVICE";

    /// <summary>Returns the device named by <paramref name="requested"/> or, when it is null, blank or "auto", by
    /// <c>LOSSLAB_DEVICE</c>, or else CUDA when available and the CPU otherwise.</summary>
    /// <exception cref="ArgumentException"><paramref name="requested"/> (then <see cref="ArgumentException.ParamName"/> is
    /// "requested") or <c>LOSSLAB_DEVICE</c> (then it is null) is not a device name, or names a device this process cannot
    /// use; the message names the device and lists the ones this process can use.</exception>
    public static torch.Device Choose(string? requested = null)
    {
        TorchRuntime.EnsureConfigured();
        bool fromArgument = !IsAuto(requested);
        string? name = fromArgument ? requested : Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (IsAuto(name))
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        string source = fromArgument ? $"Device '{name!.Trim()}'" : $"{EnvironmentVariable}='{name!.Trim()}'";
        string? error = Check(name!, out var device);
        if (error is null) return device!;
        string message = $"{source}: {error} This process can use: {string.Join(", ", Available())}.";
        throw fromArgument ? new ArgumentException(message, nameof(requested)) : new ArgumentException(message);
    }

    /// <summary>Whether <paramref name="tensor"/> lives on <paramref name="device"/>: the same device type, and the same index
    /// unless <paramref name="device"/> names none (then any index of that type, as "cpu" or "cuda").</summary>
    public static bool Holds(torch.Device device, torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.device_type == device.type && (device.index < 0 || tensor.device_index == device.index);
    }

    /// <summary>The devices this process can use, by name: "cpu", then "cuda:0" … "cuda:N−1" for each GPU libtorch sees,
    /// then "mps" when Apple's Metal backend is available.</summary>
    public static IReadOnlyList<string> Available()
    {
        TorchRuntime.EnsureConfigured();
        var names = new List<string> { "cpu" };
        if (torch.cuda.is_available())
            for (int i = 0; i < torch.cuda.device_count(); i++) names.Add($"cuda:{i}");
        if (MpsAvailable()) names.Add("mps");
        return names;
    }

    static bool IsAuto(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses and checks a device name; returns null and the device when usable, else why not.</summary>
    static string? Check(string text, out torch.Device? device)
    {
        device = null;
        string name = text.Trim().ToLowerInvariant();
        if (name == "cpu") { device = torch.CPU; return null; }
        if (name == "mps")
        {
            if (!MpsAvailable()) return "Apple's Metal (MPS) backend is not available (it needs macOS on Apple silicon and libtorch built with MPS).";
            device = new torch.Device(DeviceType.MPS);
            return null;
        }
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (name.Length > 4 && (!int.TryParse(name.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)))
                return "is not a device name: use cpu, cuda, cuda:N (N = 0, 1, …), mps or auto.";
            if (!torch.cuda.is_available())
                return "CUDA was asked for, but libtorch sees no CUDA device (this build references the CPU libtorch, or no NVIDIA " +
                       "driver is loaded: build with -p:LossLabTorchBackend=TorchSharp-cuda-linux on a machine with the driver; see " +
                       "environment.md, \"Running on an NVIDIA GPU\").";
            int count = torch.cuda.device_count();
            if (index >= count) return $"there is no CUDA device {index}: libtorch sees {count}.";
            device = name == "cuda" ? torch.CUDA : torch.device(DeviceType.CUDA, index);
            return null;
        }
        return "is not a device name: use cpu, cuda, cuda:N (N = 0, 1, …), mps or auto.";
    }

    static bool MpsAvailable()
    {
        try { return torch.mps_is_available(); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or NotSupportedException) { return false; }
    }
}
