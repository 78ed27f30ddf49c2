using System.IO.Compression;

namespace LossLab.Tests.Data;

/// <summary>A temporary folder for files a test writes, deleted at dispose.</summary>
public sealed class TempFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("losslab-data-test-").FullName;

    public string Write(string name, byte[] bytes, bool gzip = false)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!gzip) File.WriteAllBytes(path, bytes);
        else
        {
            using var file = File.Create(path);
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(bytes);
        }
        return path;
    }

    public string WriteText(string name, string text, bool gzip = false) => Write(name, System.Text.Encoding.UTF8.GetBytes(text), gzip);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
