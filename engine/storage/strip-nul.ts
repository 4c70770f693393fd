/**
 * PostgreSQL's text cannot hold NUL (U+0000): a parameter with one makes the whole statement fail
 * ("invalid byte sequence"), which a request would see as a server error. SQLite stores it. The
 * text hygiene already removes NUL from submissions (engine/text-hygiene.ts); this kysely plugin
 * removes it from every other string a statement carries on PostgreSQL (a note, a login name, a
 * list filter), so both dialects answer such input the same way: as the text without it.
 */
import { OperationNodeTransformer, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type PrimitiveValueListNode, type QueryResult, type RootOperationNode, type UnknownRow, type ValueNode } from 'kysely';

const strip = (v: unknown): unknown => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '') : v);

class NulStripper extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = strip(node.value);
    return value === node.value ? super.transformValue(node) : { ...super.transformValue(node), value };
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'string' && v.includes('\u0000')) ? { ...node, values: node.values.map(strip) } : super.transformPrimitiveValueList(node);
  }
}

export class StripNulPlugin implements KyselyPlugin {
  private readonly transformer = new NulStripper();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
