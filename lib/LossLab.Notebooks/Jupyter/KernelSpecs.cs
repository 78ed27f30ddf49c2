using System.IO.Compression;
using System.Text.Json.Nodes;

namespace LossLab.Notebooks.Jupyter;

/// <summary>One installed LossLab kernelspec: its name, folder and the command it launches.</summary>
public sealed record InstalledKernelSpec(string Name, string Directory, IReadOnlyList<string> Argv);

/// <summary>
/// Kernelspec folders for LossLab's kernel in Jupyter's data directories: <c>kernel.json</c> (argv with
/// <c>{connection_file}</c>, display name, language "C#", interrupt_mode "message", a <c>losslab</c> marker in its
/// metadata) and two generated logos. User: <c>$JUPYTER_DATA_DIR</c>, else <c>$XDG_DATA_HOME/jupyter</c>, else
/// <c>~/.local/share/jupyter</c>; prefix P: <c>P/share/jupyter</c>. Kernels live in <c>kernels/NAME</c> below.
/// </summary>
public static class KernelSpecs
{
    /// <summary>The default kernelspec name.</summary>
    public const string DefaultName = "losslab-csharp";

    /// <summary>The default display name.</summary>
    public const string DefaultDisplayName = "C# (LossLab)";

    /// <summary>Jupyter's per-user data directory.</summary>
    public static string UserDataDirectory()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data) return data;
        if (Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "jupyter");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter");
    }

    /// <summary>The data directory of a prefix (a virtual environment, conda environment or /usr/local).</summary>
    public static string PrefixDataDirectory(string prefix) => Path.Combine(Path.GetFullPath(prefix), "share", "jupyter");

    /// <summary>The kernelspec name must be a folder name Jupyter accepts: letters, digits, '.', '_' and '-'.</summary>
    public static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException($"The kernel name '{name}' is not valid: use ASCII letters, digits, '.', '_' and '-'.");
    }

    /// <summary>Writes the kernelspec <paramref name="name"/> under <paramref name="dataDirectory"/>/kernels (replacing an
    /// earlier one of the same name) launching <paramref name="argv"/>; returns its folder.</summary>
    public static string Install(string dataDirectory, string name, string displayName, IReadOnlyList<string> argv)
    {
        CheckName(name);
        if (!argv.Contains("{connection_file}")) throw new ArgumentException("The kernel's argv must contain {connection_file}.", nameof(argv));
        var folder = Path.Combine(dataDirectory, "kernels", name);
        Directory.CreateDirectory(folder);
        var spec = new JsonObject
        {
            ["argv"] = new JsonArray(argv.Select(a => (JsonNode?)a).ToArray()),
            ["display_name"] = displayName,
            ["language"] = "C#",
            ["interrupt_mode"] = "message",
            ["metadata"] = new JsonObject { ["losslab"] = new JsonObject { ["kernel"] = "LossLab.Notebooks CSharpKernel" } },
        };
        File.WriteAllText(Path.Combine(folder, "kernel.json"), spec.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.WriteAllBytes(Path.Combine(folder, "logo-32x32.png"), Logo(32));
        File.WriteAllBytes(Path.Combine(folder, "logo-64x64.png"), Logo(64));
        return folder;
    }

    /// <summary>Removes the LossLab kernelspec <paramref name="name"/> under <paramref name="dataDirectory"/>; returns its
    /// folder. A missing kernelspec, or a folder whose kernel.json is not LossLab's, throws <see cref="ArgumentException"/>.</summary>
    public static string Uninstall(string dataDirectory, string name)
    {
        CheckName(name);
        var folder = Path.Combine(dataDirectory, "kernels", name);
        if (!Directory.Exists(folder)) throw new ArgumentException($"No kernelspec '{name}' in {Path.Combine(dataDirectory, "kernels")}.");
        if (Read(folder) is null) throw new ArgumentException($"{folder} is not a LossLab kernelspec (its kernel.json has no losslab marker); not removed.");
        Directory.Delete(folder, recursive: true);
        return folder;
    }

    /// <summary>The LossLab kernelspecs in <paramref name="dataDirectories"/> (each searched in kernels/*).</summary>
    public static IReadOnlyList<InstalledKernelSpec> List(IEnumerable<string> dataDirectories)
    {
        var found = new List<InstalledKernelSpec>();
        foreach (var data in dataDirectories.Distinct())
        {
            var kernels = Path.Combine(data, "kernels");
            if (!Directory.Exists(kernels)) continue;
            foreach (var folder in Directory.GetDirectories(kernels).Order(StringComparer.Ordinal))
                if (Read(folder) is { } spec) found.Add(spec);
        }
        return found;
    }

    /// <summary>Jupyter's data directories, in its search order: JUPYTER_PATH entries, the user's, then the system's.</summary>
    public static IReadOnlyList<string> SearchPath(IEnumerable<string>? extra = null)
    {
        var dirs = new List<string>(extra ?? []);
        if (Environment.GetEnvironmentVariable("JUPYTER_PATH") is { Length: > 0 } path) dirs.AddRange(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        dirs.Add(UserDataDirectory());
        foreach (var env in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(env) is { Length: > 0 } prefix) dirs.Add(PrefixDataDirectory(prefix));
        dirs.AddRange(["/usr/local/share/jupyter", "/usr/share/jupyter"]);
        return dirs;
    }

    static InstalledKernelSpec? Read(string folder)
    {
        var file = Path.Combine(folder, "kernel.json");
        if (!File.Exists(file)) return null;
        try
        {
            if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject spec || spec["metadata"]?["losslab"] is null) return null;
            var argv = spec["argv"] is JsonArray a ? a.Select(n => n?.ToString() ?? "").ToList() : [];
            return new InstalledKernelSpec(Path.GetFileName(folder), folder, argv);
        }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>A small square PNG logo of <paramref name="size"/> pixels: a dark tile with a descending loss curve.</summary>
    public static byte[] Logo(int size)
    {
        var rows = new byte[size * (1 + size * 4)];
        for (int y = 0; y < size; y++)
        {
            int row = y * (1 + size * 4);
            rows[row] = 0;   // filter: none
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size, curve = 0.15 + 0.7 * Math.Exp(-4 * u);   // loss curve, from top left down
                double v = 1 - (y + 0.5) / size;
                bool onCurve = Math.Abs(v - curve) < 1.6 / size + 0.02 && u > 0.1 && u < 0.92;
                bool border = x < size / 16 + 1 || y < size / 16 + 1 || x >= size - size / 16 - 1 || y >= size - size / 16 - 1;
                var (r, g, b) = onCurve ? (255, 170, 40) : border ? (60, 90, 160) : (24, 32, 56);
                int p = row + 1 + x * 4;
                rows[p] = (byte)r; rows[p + 1] = (byte)g; rows[p + 2] = (byte)b; rows[p + 3] = 255;
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, size);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; header[9] = 6;   // 8 bits, RGBA
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(rows);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        png.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        png.Write(word);
    }

    static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
