using System.Buffers.Binary;
using System.Text;

namespace NetDsl.Runtime.Interop;

/// <summary>
/// Lists the text literals of a pickle stream in the order they occur, without running or building anything.
/// </summary>
/// <remarks>
/// PyBridge's unpickler returns a state dict as a Hashtable, which forgets the order of its keys; but
/// <c>torch.save</c> writes the keys in the state dict's order, so the first occurrence of each key among the
/// pickle's literals gives that order back. This walks the opcodes of pickle protocols 0 to 5 only to know
/// where each argument ends.
/// </remarks>
internal static class PickleStrings
{
    /// <exception cref="InvalidDataException">An unknown opcode, or the stream ends inside an argument.</exception>
    public static IReadOnlyList<string> Read(byte[] pickle)
    {
        var strings = new List<string>();
        var position = 0;
        while (position < pickle.Length)
        {
            var opcode = pickle[position++];
            switch (opcode)
            {
                case (byte)'.': // STOP
                    return strings;
                // No argument.
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N': case (byte)'Q':
                case (byte)'R': case (byte)'a': case (byte)'b': case (byte)'d': case (byte)'}': case (byte)'e':
                case (byte)'l': case (byte)']': case (byte)'o': case (byte)'s': case (byte)'t': case (byte)')':
                case (byte)'u': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
                case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x97: case 0x98:
                    break;
                // Fixed-size arguments.
                case (byte)'K': case (byte)'h': case (byte)'q': case 0x80: case 0x82:
                    position += 1;
                    break;
                case (byte)'M': case 0x83:
                    position += 2;
                    break;
                case (byte)'J': case (byte)'j': case (byte)'r': case 0x84:
                    position += 4;
                    break;
                case (byte)'G': case 0x95:
                    position += 8;
                    break;
                // One line of text.
                case (byte)'F': case (byte)'I': case (byte)'L': case (byte)'P': case (byte)'g': case (byte)'p':
                    Line(pickle, ref position);
                    break;
                case (byte)'S': case (byte)'V':
                    strings.Add(Unquote(Line(pickle, ref position)));
                    break;
                // Two lines: module and name.
                case (byte)'c': case (byte)'i':
                    Line(pickle, ref position);
                    Line(pickle, ref position);
                    break;
                // Length-prefixed text.
                case 0x8c: // SHORT_BINUNICODE
                    strings.Add(Text(pickle, ref position, Length(pickle, ref position, 1)));
                    break;
                case (byte)'X': // BINUNICODE
                    strings.Add(Text(pickle, ref position, Length(pickle, ref position, 4)));
                    break;
                case 0x8d: // BINUNICODE8
                    strings.Add(Text(pickle, ref position, Length(pickle, ref position, 8)));
                    break;
                case (byte)'U': // SHORT_BINSTRING
                    strings.Add(Text(pickle, ref position, Length(pickle, ref position, 1)));
                    break;
                case (byte)'T': // BINSTRING
                    strings.Add(Text(pickle, ref position, Length(pickle, ref position, 4)));
                    break;
                // Length-prefixed bytes and integers.
                case (byte)'C': case 0x8a:
                    position += Length(pickle, ref position, 1);
                    break;
                case (byte)'B': case 0x8b:
                    position += Length(pickle, ref position, 4);
                    break;
                case 0x8e: case 0x96:
                    position += Length(pickle, ref position, 8);
                    break;
                default:
                    throw new InvalidDataException($"the pickle holds an unknown opcode 0x{opcode:x2} at byte {position - 1}");
            }
            if (position > pickle.Length)
                break;
        }
        throw new InvalidDataException("the pickle ends before its STOP opcode (the file is truncated or corrupt)");
    }

    private static int Length(byte[] pickle, ref int position, int size)
    {
        if (position + size > pickle.Length)
            throw new InvalidDataException("the pickle ends inside a length (the file is truncated or corrupt)");
        var span = pickle.AsSpan(position, size);
        position += size;
        var length = size switch
        {
            1 => span[0],
            4 => (long)BinaryPrimitives.ReadUInt32LittleEndian(span),
            _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(span),
        };
        if (length > pickle.Length - position)
            throw new InvalidDataException("the pickle ends inside an argument (the file is truncated or corrupt)");
        return (int)length;
    }

    private static string Text(byte[] pickle, ref int position, int length)
    {
        var text = Encoding.UTF8.GetString(pickle, position, length);
        position += length;
        return text;
    }

    private static string Line(byte[] pickle, ref int position)
    {
        var end = Array.IndexOf(pickle, (byte)'\n', position);
        if (end < 0)
            throw new InvalidDataException("the pickle ends inside a line (the file is truncated or corrupt)");
        var text = Encoding.UTF8.GetString(pickle, position, end - position);
        position = end + 1;
        return text;
    }

    // Protocol 0 strings are quoted; the keys of a state dict need no escapes.
    private static string Unquote(string text) =>
        text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[^1] == text[0] ? text[1..^1] : text;
}
