using NetDsl.Binding;
using NetDsl.Syntax;

namespace NetDsl.Emit
{
    internal sealed partial class BodyPrinter
    {
        /// <summary>
        /// parallel and split: each path is a sequence of its own, collected (through for/if/repeat) into a list of
        /// (label, path) pairs, so the runtime names it by its label or as path1, path2, ... like the checker.
        /// A split's part size depends on how many paths there are, so its paths are collected as builders
        /// (functions of the part's shape) and built once the count is known and checked (NN0207).
        /// </summary>
        private void PrintPaths(BoundPaths paths, Sequence where)
        {
            var split = paths.IsSplit;
            var merge = paths.Merge;
            var kind = split ? "split" : "parallel";
            var collected = Names.Allocate(kind + "Paths");
            var item = split ? $"global::System.Func<{Runtime}.FeatureShape, ({ModuleType} Path, {Runtime}.FeatureShape Output)>" : ModuleType;
            writer.WriteLine($"var {collected} = new global::System.Collections.Generic.List<(string? Label, {item} Path)>();");
            var shapes = Names.Allocate(kind + "Shapes");
            if (!split)
                writer.WriteLine($"var {shapes} = new global::System.Collections.Generic.List<{Runtime}.FeatureShape>();");
            PrintPathItems(paths.Paths, where, new PathCollector(collected, shapes, split ? null : where.Shape));
            if (!paths.HasFixedPathCount)
                writer.WriteLine($"{Composition}.Require.SomePaths({collected}.Count, \"{kind}\");");
            var modules = collected;
            string? part = null;
            if (split)
            {
                part = Names.Allocate("splitPart");
                writer.WriteLine($"var {part} = {Composition}.Require.EvenSplit({where.Shape}, {collected}.Count);");
                modules = Names.Allocate("splitModules");
                writer.WriteLine($"var {modules} = new global::System.Collections.Generic.List<(string? Label, {ModuleType} Path)>();");
                writer.WriteLine($"var {shapes} = new global::System.Collections.Generic.List<{Runtime}.FeatureShape>();");
                var (label, build, built) = (Names.Allocate("label"), Names.Allocate("build"), Names.Allocate("built"));
                writer.OpenBrace($"foreach (var ({label}, {build}) in {collected})");
                writer.WriteLine($"var {built} = {build}({part});");
                writer.WriteLine($"{modules}.Add(({label}, {built}.Path));");
                writer.WriteLine($"{shapes}.Add({built}.Output);");
                writer.CloseBrace();
            }
            if (merge == MergeKind.Add)
            {
                writer.WriteLine($"{Composition}.Require.SameShapes({shapes});");
                writer.WriteLine($"{where.Shape} = {shapes}[0];");
            }
            else
            {
                writer.WriteLine($"{Composition}.Require.SameSpatialSize({shapes}, \"{(split ? "split" : "concat")}\");");
                writer.WriteLine($"{where.Shape} = {shapes}[0] with {{ Channels = global::System.Linq.Enumerable.Sum({shapes}, pathShape => pathShape.Channels) }};");
            }
            var module = split
                ? $"new {Runtime}.ChannelSplit(global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Repeat({part}.Channels, {shapes}.Count)), {modules})"
                : $"new {Runtime}.Parallel({Runtime}.ParallelMerge.{merge}, {modules})";
            writer.WriteLine($"{where.Append}({module});");
        }

        /// <summary>Where <see cref="PrintPathItems"/> puts each path: the list, and the shapes list and input of a parallel (null input: a split's builders).</summary>
        private sealed record PathCollector(string Paths, string Shapes, string? ParallelInput);

        /// <summary>The items of a parallel or split. Their loops are foreach loops (over a range or a list): each pass gets its own loop variable, which a split's path builders capture.</summary>
        private void PrintPathItems(BoundBody body, Sequence where, PathCollector collector)
        {
            foreach (var statement in body.Statements)
            {
                switch (statement)
                {
                    case BoundPath path:
                        PrintPath(path, where, collector);
                        break;
                    case BoundFor loop:
                        writer.OpenBrace(ForEachHeader(loop, where));
                        PrintPathItems(loop.Body, where, collector);
                        writer.CloseBrace();
                        break;
                    case BoundRepeat repeat:
                    {
                        var count = checks.LoopCount(repeat.Count, CheckKind.RepeatCount, where);
                        writer.OpenBrace($"foreach (var {LoopIndex(repeat.Index)} in {Composition}.DslMath.Passes({count}))");
                        PrintPathItems(repeat.Body, where, collector);
                        writer.CloseBrace();
                        break;
                    }
                    case BoundIf conditional:
                        writer.OpenBrace($"if ({expressions.Code(conditional.Condition, where)})");
                        PrintPathItems(conditional.Then, where, collector);
                        writer.CloseBrace();
                        if (conditional.Else != null)
                        {
                            writer.OpenBrace("else");
                            PrintPathItems(conditional.Else, where, collector);
                            writer.CloseBrace();
                        }
                        break;
                    default:
                        PrintStatement(statement, where);
                        break;
                }
            }
        }

        private void PrintPath(BoundPath path, Sequence where, PathCollector collector)
        {
            var local = Names.Allocate("path");
            var shape = Names.Allocate(local + "Shape");
            var label = path.Label == null ? "null" : CSharpNames.Literal(path.Label);
            var input = collector.ParallelInput ?? Names.Allocate("pathInput");
            if (collector.ParallelInput == null)
                writer.OpenBrace($"{collector.Paths}.Add(({label}, {input} =>");
            else
                writer.OpenBrace();
            writer.WriteLine($"var {local} = new {Composition}.SequentialModule({CSharpNames.Literal(path.Label ?? "path")});");
            writer.WriteLine($"var {shape} = {input};");
            var block = new CodeBlock();
            PrintBody(path.Body, new Sequence(shape, where.InChannels, local, block, false, where.InLoop, where.InConditional));
            FlushLocalFunctions(block);
            if (collector.ParallelInput == null)
            {
                writer.WriteLine($"return ({local}, {shape});");
                writer.CloseBrace("));");
            }
            else
            {
                writer.WriteLine($"{collector.Paths}.Add(({label}, {local}));");
                writer.WriteLine($"{collector.Shapes}.Add({shape});");
                writer.CloseBrace();
            }
        }
    }
}
