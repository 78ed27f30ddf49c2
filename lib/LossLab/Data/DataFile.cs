using System.IO.Compression;

namespace LossLab.Data;

/// <summary>Reading data files whole, gzip-compressed or not, with errors that name the file.</summary>
internal static class DataFile
{
    /// <summary>The bytes of <paramref name="path"/>, decompressed when the file starts with the gzip magic bytes 1F 8B.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file looks gzip-compressed but does not decompress.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
        try
        {
            using var input = new MemoryStream(raw);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw Malformed(path, $"it starts with the gzip magic bytes but does not decompress ({e.Message})");
        }
    }

    /// <summary>An <see cref="InvalidDataException"/> saying what is wrong with <paramref name="path"/>.</summary>
    public static InvalidDataException Malformed(string path, string what) => new($"Malformed data file '{path}': {what}.");
}
