/**
 * What a Lambda handler can call on AWS, read from its code (never from the policy under
 * test): every AWS SDK v3 command class it may construct, and every setting it may read
 * (`setting("EVENTS_TABLE")`, functions/adapters/config.ts).
 *
 * Scanning whole files would over-grant: an adapter class holds methods the handler never
 * calls (the views handler reads with `S3ViewStore.get` and never runs its `put`). So this
 * walks the code the way it runs, with the TypeScript checker: from the handler's module,
 * through every function, method, constructor and module initialiser it references, to the
 * `new …Command(…)` expressions of `@aws-sdk/*` packages. Calls through a port (an
 * interface such as `EventStore.read`) reach the same-named method of every class that
 * implements that interface and is instantiated by reachable code, and the same-named
 * function members of object literals typed as a port (`{ get: …, put: … }` returned as
 * a `ViewStore`): a member nobody calls through a port is never followed.
 *
 * Along the way it notes what the key-scope checks need (test/infra/support/keyScopes.ts):
 * the class that constructs each command, the module-level functions and constants the
 * code refers to (a stream-id builder, `generationsKey`), the members of our interfaces it
 * uses, and the projections it names.
 */
import path from "node:path";
import ts from "typescript";

export interface SdkCall {
  /** The package the command class comes from, e.g. `@aws-sdk/lib-dynamodb`. */
  pkg: string;
  /** The command class, e.g. `QueryCommand`. */
  command: string;
  /** The input object names an `IndexName` (a DynamoDB query on a secondary index). */
  onIndex: boolean;
  /** Where it is constructed, `file:line`, for error messages. */
  at: string;
  /** The class of our own code whose member constructs it (an adapter, e.g. `DynamoClaimStore`), if any. */
  inClass?: string;
}

const root = path.resolve(__dirname, "../../..");

export interface HandlerReach {
  calls: SdkCall[];
  /** Names passed to `setting(…)` anywhere in reachable code (lazily read ones included). */
  settings: string[];
  /** Members of our interfaces the code uses, `Interface.member`: methods called through a port (`EventStore.read`), fields read. */
  interfaceMembers: string[];
  /** Module-level declarations of our own code the handler refers to, `file#name` (e.g. `functions/domain/events.ts#userStream`). */
  references: string[];
  /** String literals typed as a `ProjectionName` (functions/domain/routes.ts): the projections the code names. */
  projections: string[];
}

/**
 * One TypeScript program over all entries (type-checking once is the slow part). Code
 * under `sourceRoot` is followed; packages are not (the SDK's own internals are its business).
 */
export function reachOf(entries: readonly string[], sourceRoot = "functions"): Map<string, HandlerReach> {
  const program = ts.createProgram(
    entries.map((e) => path.join(root, e)),
    compilerOptions(),
  );
  const checker = program.getTypeChecker();
  const sources = path.join(root, sourceRoot) + path.sep;
  const isProjectFile = (file: ts.SourceFile) => !file.isDeclarationFile && file.fileName.startsWith(sources);
  const projectionName = declaredType(program, checker, "functions/domain/routes.ts", "ProjectionName");
  const result = new Map<string, HandlerReach>();
  for (const entry of entries) {
    const file = program.getSourceFile(path.join(root, entry));
    if (!file) throw new Error(`${entry} is not in the program`);
    result.set(entry, new Reachability(checker, isProjectFile, projectionName).from(file));
  }
  return result;
}

/** The type a type alias of ours declares (unions are interned, so a value of that type is that very object). */
function declaredType(program: ts.Program, checker: ts.TypeChecker, file: string, alias: string): ts.Type | undefined {
  const source = program.getSourceFile(path.join(root, file));
  const declaration = source?.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === alias);
  return declaration && checker.getTypeAtLocation(declaration.name);
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = path.join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true };
}

type Body = ts.Node;

class Reachability {
  private readonly queue: Body[] = [];
  private readonly seen = new Set<ts.Node>();
  private readonly instantiated = new Set<ts.ClassDeclaration>();
  /** Interface members called through a port: interface declaration → member names. */
  private readonly portCalls = new Map<ts.InterfaceDeclaration, Set<string>>();
  /** Function members of object literals typed as a port, reached by a port call of their name. */
  private readonly literalMembers: { name: string; body: ts.Node }[] = [];
  private readonly calls: SdkCall[] = [];
  private readonly settings = new Set<string>();
  private readonly references = new Set<string>();
  private readonly projections = new Set<string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly isProjectFile: (file: ts.SourceFile) => boolean,
    private readonly projectionName: ts.Type | undefined,
  ) {}

  from(entry: ts.SourceFile): HandlerReach {
    this.reachModule(entry);
    const exported = this.checker.getSymbolAtLocation(entry);
    const handler = exported && this.checker.getExportsOfModule(exported).find((s) => s.name === "handler");
    if (!handler?.declarations) throw new Error(`${entry.fileName} exports no handler`);
    for (const d of handler.declarations) this.reachDeclaration(d);
    for (;;) {
      while (this.queue.length > 0) this.walk(this.queue.pop()!);
      if (!this.reachImplementations()) break;
    }
    const interfaceMembers = [...this.portCalls].flatMap(([port, names]) => [...names].map((name) => `${port.name.text}.${name}`));
    return {
      calls: this.calls,
      settings: [...this.settings].sort(),
      interfaceMembers: interfaceMembers.sort(),
      references: [...this.references].sort(),
      projections: [...this.projections].sort(),
    };
  }

  private enqueue(node: ts.Node | undefined): void {
    if (!node || this.seen.has(node)) return;
    this.seen.add(node);
    this.queue.push(node);
  }

  /** A module's initialiser runs on import: its top-level code, not its function bodies. */
  private reachModule(file: ts.SourceFile): void {
    if (this.seen.has(file)) return;
    this.seen.add(file);
    for (const statement of file.statements) {
      if (ts.isClassDeclaration(statement)) {
        for (const member of statement.members) {
          if (ts.isClassStaticBlockDeclaration(member)) this.enqueue(member.body);
          if (ts.isPropertyDeclaration(member) && isStatic(member)) this.enqueue(member.initializer);
        }
        continue;
      }
      if (ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement)) continue;
      if (ts.isTypeAliasDeclaration(statement) || ts.isImportDeclaration(statement)) continue;
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (d.initializer && !isFunctionValue(d.initializer)) this.enqueue(d.initializer);
        continue;
      }
      this.enqueue(statement);
    }
  }

  private walk(node: ts.Node): void {
    const visit = (child: ts.Node): void => {
      if (ts.isObjectLiteralExpression(child) && this.isPortTyped(child)) {
        for (const property of child.properties) {
          const body = functionMember(property);
          if (body && property.name) this.literalMembers.push({ name: property.name.getText(), body });
          else visit(property);
        }
        return;
      }
      if (ts.isNewExpression(child)) this.onNew(child);
      if (ts.isCallExpression(child)) this.onCall(child);
      if (ts.isStringLiteral(child)) this.onLiteral(child);
      if (ts.isIdentifier(child) || ts.isPrivateIdentifier(child)) this.onReference(child);
      ts.forEachChild(child, visit);
    };
    if (ts.isClassDeclaration(node)) this.reachClassInit(node);
    else visit(node);
  }

  private onNew(expression: ts.NewExpression): void {
    for (const declaration of this.declarationsOf(expression.expression)) {
      const file = declaration.getSourceFile();
      if (ts.isClassDeclaration(declaration) && this.isProjectFile(file)) {
        this.instantiated.add(declaration);
        this.enqueue(declaration);
        continue;
      }
      const pkg = sdkPackageOf(file.fileName);
      const name = ts.isClassDeclaration(declaration) ? declaration.name?.text : undefined;
      if (pkg && name?.endsWith("Command")) {
        this.calls.push(this.sdkCall(pkg, name, expression));
        return; // one call per `new`, however many declarations the class merges
      }
    }
  }

  /** `setting("NAME")`: a function named `setting` of our own code, called with a literal. */
  private onCall(call: ts.CallExpression): void {
    const [name] = call.arguments;
    if (!name || !ts.isStringLiteral(name)) return;
    const isSetting = this.declarationsOf(call.expression).some(
      (d) => ts.isFunctionDeclaration(d) && d.name?.text === "setting" && this.isProjectFile(d.getSourceFile()),
    );
    if (isSetting) this.settings.add(name.text);
  }

  /** `"channel"` where a `ProjectionName` is expected: a projection the code names. */
  private onLiteral(literal: ts.StringLiteral): void {
    if (this.projectionName && this.checker.getContextualType(literal) === this.projectionName) this.projections.add(literal.text);
  }

  private sdkCall(pkg: string, command: string, expression: ts.NewExpression): SdkCall {
    const input = expression.arguments?.[0];
    const onIndex =
      !!input && ts.isObjectLiteralExpression(input) && input.properties.some((p) => p.name !== undefined && p.name.getText() === "IndexName");
    const file = expression.getSourceFile();
    const line = file.getLineAndCharacterOfPosition(expression.getStart()).line + 1;
    let owner: ts.Node | undefined = expression.parent;
    while (owner && !ts.isClassDeclaration(owner)) owner = owner.parent;
    const inClass = owner && ts.isClassDeclaration(owner) ? owner.name?.text : undefined;
    return { pkg, command, onIndex, at: `${path.relative(root, file.fileName)}:${line}`, ...(inClass ? { inClass } : {}) };
  }

  private onReference(identifier: ts.Identifier | ts.PrivateIdentifier): void {
    for (const declaration of this.declarationsOf(identifier)) {
      const file = declaration.getSourceFile();
      if (!this.isProjectFile(file)) continue;
      const name = (declaration as ts.NamedDeclaration).name;
      if (name && ts.isIdentifier(name) && isModuleLevelDeclaration(declaration)) this.references.add(`${path.relative(root, file.fileName)}#${name.text}`);
      this.reachModule(file);
      this.reachDeclaration(declaration);
    }
  }

  private reachDeclaration(declaration: ts.Declaration): void {
    if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isGetAccessor(declaration)) {
      this.enqueue(declaration.body);
    } else if (ts.isVariableDeclaration(declaration) && isModuleLevel(declaration) && declaration.initializer && isFunctionValue(declaration.initializer)) {
      // A function held in a module-level const runs when referenced. (Other initialisers
      // run with their module, or with the body that declares them, and are walked there.)
      this.enqueue(declaration.initializer);
    } else if ((ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) && ts.isInterfaceDeclaration(declaration.parent)) {
      const names = this.portCalls.get(declaration.parent) ?? new Set<string>();
      names.add(declaration.name.getText());
      this.portCalls.set(declaration.parent, names);
    }
  }

  /** `new C()`: its constructor, its field initialisers and the class's base chain. */
  private reachClassInit(node: ts.ClassDeclaration): void {
    for (const member of node.members) {
      if (ts.isConstructorDeclaration(member)) this.enqueue(member.body);
      if (ts.isPropertyDeclaration(member) && !isStatic(member)) this.enqueue(member.initializer);
    }
  }

  /** Port calls reach the same-named members of the instantiated classes implementing the port. */
  private reachImplementations(): boolean {
    let reached = false;
    const calledNames = new Set([...this.portCalls.values()].flatMap((names) => [...names]));
    for (const member of this.literalMembers) {
      if (!calledNames.has(member.name) || this.seen.has(member.body)) continue;
      this.enqueue(member.body);
      reached = true;
    }
    for (const cls of this.instantiated) {
      for (const port of this.portsOf(cls)) {
        for (const name of this.portCalls.get(port) ?? []) {
          for (const member of cls.members) {
            if (member.name?.getText() !== name || this.seen.has(member)) continue;
            this.seen.add(member);
            this.reachDeclaration(member as ts.Declaration);
            reached = true;
          }
        }
      }
    }
    return reached || this.queue.length > 0;
  }

  private portsOf(cls: ts.ClassDeclaration): ts.InterfaceDeclaration[] {
    const ports: ts.InterfaceDeclaration[] = [];
    for (const clause of cls.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ImplementsKeyword) continue;
      for (const type of clause.types) for (const d of this.declarationsOf(type.expression)) if (ts.isInterfaceDeclaration(d)) ports.push(d);
    }
    return ports;
  }

  /** An object literal whose expected type is one of our interfaces (a port, a deps bag). */
  private isPortTyped(literal: ts.ObjectLiteralExpression): boolean {
    const type = this.checker.getContextualType(literal);
    const types = type?.isUnion() ? type.types : type ? [type] : [];
    return types.some((t) =>
      (t.getSymbol()?.declarations ?? []).some((d) => ts.isInterfaceDeclaration(d) && this.isProjectFile(d.getSourceFile())),
    );
  }

  private declarationsOf(node: ts.Node): ts.Declaration[] {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (!symbol) return [];
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol.declarations ?? [];
  }
}

/** `name: () => …`, `name: function …`, `name() {…}`: the function a literal member holds. */
function functionMember(property: ts.ObjectLiteralElementLike): ts.Node | undefined {
  if (ts.isMethodDeclaration(property)) return property.body;
  if (ts.isPropertyAssignment(property) && isFunctionValue(property.initializer)) return property.initializer;
  return undefined;
}

/** A function or const declared at the top of its module (what `file#name` can name). */
function isModuleLevelDeclaration(declaration: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(declaration)) return ts.isSourceFile(declaration.parent);
  return ts.isVariableDeclaration(declaration) && isModuleLevel(declaration);
}

function isModuleLevel(declaration: ts.VariableDeclaration): boolean {
  return ts.isSourceFile(declaration.parent.parent.parent);
}

function isFunctionValue(node: ts.Expression): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

function isStatic(member: ts.ClassElement): boolean {
  return ts.canHaveModifiers(member) && (ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
}

/** `…/node_modules/@aws-sdk/client-s3/dist-types/…` → `@aws-sdk/client-s3`. */
function sdkPackageOf(fileName: string): string | undefined {
  return /\/node_modules\/(@aws-sdk\/[^/]+)\//.exec(fileName)?.[1];
}
