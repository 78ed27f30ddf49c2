using System.Collections.Concurrent;
using System.Reflection;

namespace LossLab.Notebooks.Formatting;

/// <summary>
/// Honours the duck-typed <c>TypeFormatterSourceAttribute</c> convention of .NET Interactive: a library declares its own
/// attribute of that name on a type, naming a source class whose <c>CreateTypeFormatters()</c> returns objects with
/// <c>string MimeType</c> and <c>bool Format(object, TextWriter)</c>. TorchSharp formats <c>Tensor</c> this way
/// (text/plain and text/html) without depending on .NET Interactive; matched here by name through reflection only.
/// </summary>
public static class TypeFormatterSourceFormatter
{
    sealed record Duck(string MimeType, Func<object, TextWriter, bool> Format);

    static readonly ConcurrentDictionary<Type, List<Duck>> Cache = new();

    /// <summary>Formats <paramref name="value"/> as <paramref name="mimeType"/> through its type's formatter source, if any.</summary>
    public static bool TryFormat(object value, string mimeType, TextWriter writer)
    {
        foreach (var f in For(value.GetType()))
        {
            if (f.MimeType != mimeType) continue;
            var buffer = new StringWriter();
            if (f.Format(value, buffer)) { writer.Write(buffer.ToString()); return true; }
        }
        return false;
    }

    /// <summary>True when the type (or a base type) carries a formatter source.</summary>
    public static bool Has(Type type) => For(type).Count > 0;

    static List<Duck> For(Type type) => Cache.GetOrAdd(type, Discover);

    static List<Duck> Discover(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var attribute = t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "TypeFormatterSourceAttribute");
            if (attribute?.ConstructorArguments.FirstOrDefault(a => a.Value is Type).Value is not Type sourceType) continue;
            try
            {
                var source = Activator.CreateInstance(sourceType, nonPublic: true);
                var create = sourceType.GetMethod("CreateTypeFormatters", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
                if (source is null || create?.Invoke(source, null) is not System.Collections.IEnumerable formatters) continue;
                var ducks = new List<Duck>();
                foreach (var f in formatters)
                {
                    var ft = f.GetType();
                    var mime = ft.GetProperty("MimeType")?.GetValue(f) as string;
                    var format = ft.GetMethods().FirstOrDefault(m => m.Name == "Format" && m.ReturnType == typeof(bool)
                        && m.GetParameters() is { Length: 2 } ps && ps[1].ParameterType == typeof(TextWriter));
                    if (mime is null || format is null) continue;
                    ducks.Add(new Duck(mime, (o, w) => (bool)format.Invoke(f, [o, w])!));
                }
                return ducks;
            }
            catch (Exception e) when (e is TargetInvocationException or MissingMethodException or MemberAccessException)
            {
                return [];
            }
        }
        return [];
    }
}
